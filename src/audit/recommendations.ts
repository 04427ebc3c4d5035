// The recommendations of docs (DESIGN.md) that the audit enforces, with their stable ids and the plain words a
// customer reads in the report. Every check names one of these.

export const RECOMMENDATIONS = {
  'R-PATCH': {
    title: 'Run a maintained, patched version',
    text: 'The PBX runs a version that still receives security fixes.',
  },
  'R-ADMIN-PW': {
    title: 'Strong passwords on admin interfaces',
    text: 'Admin interfaces (manager, ARI, HTTP, event socket) use strong passwords, changed regularly, and are not exposed.',
  },
  'R-RIGHTS': {
    title: 'Check each user’s rights',
    text: 'Each user’s rights are checked: international calls, remote voicemail, callback from voicemail.',
  },
  'R-PIN-DEFAULT': {
    title: 'No default or trivial codes',
    text: 'No phone or voicemail code is left at a default or trivial value (0000, 1234, the extension number…).',
  },
  'R-PIN-POLICY': {
    title: 'PIN rules',
    text:
      'A PIN has at most 2 occurrences of the same digit, differs from the extension and login, and is no ' +
      'ascending or descending run (1234, 4321…).',
  },
  'R-PW-POLICY': {
    title: 'Password rules',
    text:
      'A password has at least 8 characters with a lower-case letter, an upper-case letter and a digit, is not ' +
      'close to a common word, name or brand, and differs from the login.',
  },
  'R-DISA': {
    title: 'No way out through the PBX for outside callers',
    text:
      'DISA is disabled when unused, otherwise restricted to few people and services; a caller from outside cannot ' +
      'get a dial tone on the company’s lines.',
  },
  'R-EXPOSURE': {
    title: 'Nothing exposed to the Internet',
    text:
      'No PBX service is reachable from the public Internet; voice and data are kept apart; only the operator may ' +
      'talk to the trunk side.',
  },
  'R-DESTINATIONS': {
    title: 'Restrict expensive destinations',
    text:
      'Destinations not normally dialled (premium, international, satellite) are restricted; each phone sits in the ' +
      'smallest context it needs.',
  },
  'R-EXTERNAL-SERVICES': {
    title: 'Protect services reachable from outside',
    text:
      'Services reachable from outside (setting a forward, voicemail, conference) need a PIN, lock after 3 failures ' +
      'and cannot forward to expensive destinations.',
  },
  'R-LOCKOUT': {
    title: 'Lock after 3 failures',
    text: '3 failed authentications lock the service.',
  },
} as const;

export type RecommendationId = keyof typeof RECOMMENDATIONS;

export const RECOMMENDATION_IDS = Object.keys(RECOMMENDATIONS) as RecommendationId[];
