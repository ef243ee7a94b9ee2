/** A panel load that failed, with the patient file and resource it failed on when there is one. */
export class PanelLoadError extends Error {
  readonly file: string | undefined;
  readonly resource: string | undefined;

  constructor(message: string, where: { file?: string; resource?: string } = {}) {
    super(message);
    this.name = 'PanelLoadError';
    this.file = where.file;
    this.resource = where.resource;
  }
}
