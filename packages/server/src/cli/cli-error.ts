// An error the CLI raises itself (bad input, nothing found); printed like an API error as `error: <message> (<code>)`.

export class CliError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'CliError';
    this.code = code;
  }
}
