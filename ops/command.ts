/**
 * How an ops command ends: with the code its work returns (0 fine, 1 a finding), or 2 with the
 * error's message when it could not do its work (a setting missing, the database unreachable).
 */
import process from 'node:process';

export function runCommand(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exit(2);
    },
  );
}
