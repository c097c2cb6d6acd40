// Reference data many views need, cached briefly: the participants (about 200) with their regions and nomination status.
import { getAll } from './api.js';

let participants = null;
let loadedAt = 0;

export async function participantList({ fresh = false } = {}) {
  if (fresh || !participants || Date.now() - loadedAt > 60_000) {
    participants = await getAll('/api/participants');
    participants.sort((a, b) => a.name.localeCompare(b.name));
    loadedAt = Date.now();
  }

  return participants;
}

/** Forgets the cache after a change that moves nomination counts. */
export function participantsChanged() {
  participants = null;
}

export function participantLabel(participant) {
  return `${participant.name} (${participant.code})`;
}
