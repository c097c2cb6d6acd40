// The sign-in page: a development sign-in locally, the organisation sign-in (Entra ID) in Azure.
import { h, replace, append } from '../dom.js';
import { t } from '../i18n.js';
import { devSignIn, signInMode, beginEntraSignIn, staticWebAppsPrincipal } from '../auth.js';
import { field, textInput, FieldErrors } from '../forms.js';
import { pageHeader, alertBox, busy } from '../ui.js';

let mode = null;

export async function signInView(root, { message, onSignedIn }) {
  mode ??= await signInMode();
  append(root, pageHeader(t('signIn.title')));
  if (message) {
    append(root, alertBox('info', message, null));
  }

  append(root, h('p', { class: 'lead' }, t('signIn.intro')));
  if (mode === 'dev') {
    append(root, devForm(onSignedIn));
  } else if (mode === 'entra') {
    append(root, 
      h('p', {}, t('signIn.entraExplain')),
      h('button', { type: 'button', class: 'button button--large', onclick: () => beginEntraSignIn(location.hash) }, t('signIn.entraButton')));
  } else if (mode === 'swa') {
    const principal = await staticWebAppsPrincipal();
    append(root, alertBox('error', t('signIn.notConfiguredTitle'), t('signIn.swaNoToken', { user: principal?.userDetails ?? '' })),
      h('a', { class: 'button button--secondary', href: '/.auth/logout?post_logout_redirect_uri=/' }, t('nav.signOut')));
  } else {
    append(root, alertBox('error', t('signIn.notConfiguredTitle'), t('signIn.notConfigured')),
      h('a', { class: 'button', href: '/.auth/login/aad?post_login_redirect_uri=/' }, t('signIn.entraButton')));
  }
}

function devForm(onSignedIn) {
  const summary = h('div');
  const form = h('form', { class: 'signin-form', novalidate: true });
  const errors = new FieldErrors(summary, form);
  const email = textInput({ type: 'email', name: 'email', autocomplete: 'email', autocapitalize: 'none', spellcheck: 'false', required: true });
  const name = textInput({ name: 'name', autocomplete: 'name' });
  const submit = h('button', { type: 'submit', class: 'button' }, t('signIn.button'));
  append(form, 
    h('p', { class: 'field__hint' }, t('signIn.devExplain')),
    field({ label: t('signIn.email'), hint: t('signIn.emailHint'), control: email, key: 'email' }),
    field({ label: t('signIn.name'), hint: t('common.optional'), control: name, key: 'name' }),
    h('div', { class: 'button-row' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    errors.clear();
    const result = await busy(submit, () => devSignIn(email.value.trim(), name.value.trim()));
    if (result.ok) {
      onSignedIn();
    } else if (result.problem?.errors) {
      errors.show(result.problem.errors);
    } else {
      errors.show({ '': [t('signIn.failed')] });
    }
  });
  return h('div', {}, summary, form);
}

export function noRoleView(root, me) {
  replace(root,
    pageHeader(t('noRole.title')),
    h('p', { class: 'lead' }, t('noRole.text', { email: me.email })),
    h('p', {}, t('noRole.next')));
}
