// What the signed-in user may do, from GET /api/me. The API enforces the same rules; the portal only hides what
// would be refused.

export function isSecretariat(me) {
  return roles(me).some((role) => role.role === 'Secretariat');
}

export function hasAnyRole(me) {
  return roles(me).length > 0;
}

/** Codes of the participants the user is a focal point of. */
export function focalParticipants(me) {
  return roles(me).filter((role) => role.role === 'FocalPoint' && role.participant).map((role) => role.participant.toUpperCase());
}

export function canManage(me, participant) {
  return isSecretariat(me) || focalParticipants(me).includes(String(participant).toUpperCase());
}

/** Whether the user may nominate POCs at all (for some participant). */
export function canNominate(me) {
  return isSecretariat(me) || focalParticipants(me).length > 0;
}

export function canEdit(me, poc) {
  return canManage(me, poc.participant) || roles(me).some((role) => role.role === 'Poc' && role.pocId === poc.id);
}

/** Codes of the participants the user belongs to: focal point of, or POC of (a POC id starts with its participant's code). */
export function ownParticipants(me) {
  const codes = roles(me).map((role) => (role.role === 'FocalPoint' ? role.participant : role.role === 'Poc' ? participantOfPoc(role.pocId) : null));
  return [...new Set(codes.filter(Boolean).map((code) => code.toUpperCase()))];
}

/** POC ids of the user's own POC records. */
export function ownPocIds(me) {
  return roles(me).filter((role) => role.role === 'Poc' && role.pocId).map((role) => role.pocId);
}

/** Whether the user may send and read communications between participants: a focal point, a POC, or the Secretariat. */
export function canCommunicate(me) {
  return isSecretariat(me) || ownParticipants(me).length > 0;
}

function participantOfPoc(pocId) {
  const dash = (pocId ?? '').indexOf('-');
  return dash > 0 ? pocId.slice(0, dash) : null;
}

function roles(me) {
  return me?.roles ?? [];
}
