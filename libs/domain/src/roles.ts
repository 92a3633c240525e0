/** The roles of PROCESSES.md's glossary, as they appear in a token's `roles` claim. */
export const ROLES = [
  'employee',
  'caseworker',
  'jurist',
  'arc-lead',
  'klageenhed',
  'gdpr',
  'gdpr-lead',
  'ledelsessekretariat',
  'direktion',
  'area-chief',
  'hr-chief',
  /** BUF/Fagligt Center: the municipal complaint body for bullying complaints. */
  'fagligt-center',
  /** Leaders who receive training follow-up: the institution's leader, the cluster leader in copy. */
  'institution-leader',
  'cluster-leader',
  'digitalisation-chief',
] as const;

export type Role = (typeof ROLES)[number];

/** Each role as staff read it (PROCESSES.md's glossary): in journal entries, letters and pages. */
export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  employee: 'medarbejder',
  caseworker: 'sagsbehandler',
  jurist: 'jurist (ARC)',
  'arc-lead': 'leder af ARC',
  klageenhed: 'Den Centrale Klageenhed',
  gdpr: 'GDPR-funktionen',
  'gdpr-lead': 'leder af GDPR-funktionen',
  ledelsessekretariat: 'Ledelsessekretariatet',
  direktion: 'Direktionen',
  'area-chief': 'områdechef',
  'hr-chief': 'HR-chef',
  'fagligt-center': 'Fagligt Center',
  'institution-leader': 'institutionsleder',
  'cluster-leader': 'klyngeleder',
  'digitalisation-chief': 'digitaliseringschef',
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Who is acting: taken from the verified token, passed into workflows with every action. */
export interface Actor {
  sub: string;
  name: string;
  roles: Role[];
  unit?: string;
  area?: string;
}

export function hasAnyRole(actor: Pick<Actor, 'roles'>, roles: readonly Role[]): boolean {
  return actor.roles.some((r) => roles.includes(r));
}
