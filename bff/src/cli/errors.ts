/** Bad invocation: the user can fix it by changing the command line. Exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  constructor(
    message: string,
    /** The command whose `--help` explains the right usage. */
    readonly command?: string,
  ) {
    super(message);
  }
}

/** Anything else that stops a command: the server refused, a file is missing, the network is down. Exit code 1. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    /** Extra lines printed after the message, e.g. what to run next. */
    readonly hints: readonly string[] = [],
  ) {
    super(message);
  }
}
