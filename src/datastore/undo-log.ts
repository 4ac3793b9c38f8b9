/**
 * Steps that undo what a datastore did during a registry transaction (delete a file it wrote), run in
 * reverse order when the transaction fails. Best effort: a step that fails leaves an orphan artifact,
 * which `check` reports; it never leaves a registry row without its artifact.
 */
export class UndoLog {
  readonly #steps: (() => Promise<unknown>)[] = [];

  /** Remember how to undo one change. */
  add(step: () => Promise<unknown>): void {
    this.#steps.push(step);
  }

  /** Run every step, newest first, ignoring their failures; the log is empty afterwards. */
  async rollback(): Promise<void> {
    for (const step of this.#steps.splice(0).reverse()) {
      try {
        await step();
      } catch {
        // Best effort: the artifact stays behind as an orphan for `check` to report.
      }
    }
  }

  /** Forget the steps (the transaction committed). */
  commit(): void {
    this.#steps.length = 0;
  }
}
