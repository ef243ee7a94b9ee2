/** Readiness: 503 until start-up work (store, models) is done, and 503 again from the first shutdown signal. */
export class Readiness {
  #ready = false;
  #draining = false;
  #pending = new Set<string>(['start-up']);

  /** Marks a named piece of start-up work as done; ready when none is left. */
  done(what = 'start-up'): void {
    this.#pending.delete(what);
    this.#ready = this.#pending.size === 0;
  }

  /** Registers start-up work that readiness must wait for. */
  waitFor(what: string): void {
    this.#pending.add(what);
    this.#ready = false;
  }

  drain(): void {
    this.#draining = true;
  }

  /** True from the first shutdown signal. */
  get draining(): boolean {
    return this.#draining;
  }

  get ready(): boolean {
    return this.#ready && !this.#draining;
  }

  get pending(): string[] {
    return this.#draining ? ['shutting down'] : [...this.#pending];
  }
}
