/**
 * Thrown by a verb that has said all it has to say and only needs a non-zero exit status (`fsck` finding
 * problems): `main` returns the status without printing an error.
 */
export class ExitStatus extends Error {
  readonly status: number;

  constructor(status: number) {
    super(`exit status ${status}`);
    this.name = "ExitStatus";
    this.status = status;
  }
}
