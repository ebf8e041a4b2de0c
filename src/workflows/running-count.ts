/** How many pieces of work are under way: each counted from its start until it settles, however it ends. */
export class RunningCount {
  private running = 0;

  get count(): number {
    return this.running;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    this.running += 1;
    try {
      return await work();
    } finally {
      this.running -= 1;
    }
  }
}
