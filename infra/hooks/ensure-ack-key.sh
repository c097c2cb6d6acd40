#!/bin/sh
# azd preprovision hook: make sure the azd environment has CAMPAIGNS_ACK_KEY, the base64 HMAC key (32 random bytes)
# that signs acknowledgement links. Generated once; later provisions reuse it, so links already sent stay valid.
# The value goes to Key Vault through a @secure() Bicep parameter; the Function App only holds a Key Vault reference.
set -eu

if existing=$(azd env get-value CAMPAIGNS_ACK_KEY 2>/dev/null) && [ -n "$existing" ]; then
  echo "CAMPAIGNS_ACK_KEY is set for this environment; keeping it."
else
  key=$(head -c 32 /dev/urandom | base64 | tr -d '\n')
  azd env set CAMPAIGNS_ACK_KEY "$key" >/dev/null
  echo "Generated CAMPAIGNS_ACK_KEY (32 random bytes) for this environment."
fi

# PGP_SIGNING_KEY: the directory's OpenPGP secret key (decision 0034), armoured then base64 so it fits one azd value;
# Bicep decodes it into the Key Vault secret pgp-signing-key. Made once with gpg in a throw-away home directory.
if existing=$(azd env get-value PGP_SIGNING_KEY 2>/dev/null) && [ -n "$existing" ]; then
  echo "PGP_SIGNING_KEY is set for this environment; keeping it."
  exit 0
fi
command -v gpg >/dev/null || { echo "gpg is needed once to make the directory's OpenPGP key (or set PGP_SIGNING_KEY yourself: base64 of an armoured secret key)." >&2; exit 1; }
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
gpg --homedir "$home" --batch --pinentry-mode loopback --passphrase '' --quick-generate-key "Global POC Directory <pgp@pocdirectory.invalid>" rsa3072 sign,encr never 2>/dev/null
azd env set PGP_SIGNING_KEY "$(gpg --homedir "$home" --batch --armor --export-secret-keys | base64 | tr -d '\n')" >/dev/null
echo "Generated PGP_SIGNING_KEY (RSA 3072, no expiry) for this environment."
