// POSIX shell-words quoting, shared by the hyperfine command line and the "reproduce locally" command.
const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** A plain word stays bare; anything else is single-quoted with `'` written as `'\''`. Pure. */
export function shellWord(arg: string): string {
  return SAFE_WORD.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}
