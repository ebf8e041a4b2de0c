/** What one provisioning step found: nothing (so it created it), something different, or what it wants. */
export type Outcome = 'created' | 'updated' | 'existing';

const DESCRIPTION: Record<Outcome, string> = {
  created: 'created',
  updated: 'updated to the wanted settings',
  existing: 'already in place',
};

/** The resources provisioning touched, by outcome, each logged as it is decided. */
export class ProvisionReport {
  readonly created: string[] = [];
  readonly updated: string[] = [];
  readonly existing: string[] = [];

  constructor(private readonly log: (line: string) => void) {}

  record(resource: string, outcome: Outcome): void {
    this[outcome].push(resource);
    this.log(`${resource}: ${DESCRIPTION[outcome]}`);
  }
}
