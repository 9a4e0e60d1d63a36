/** A problem with what the user gave us: names the input and says how to fix it. */
export class InputError extends Error {
  constructor(
    readonly input: string,
    problem: string,
    readonly fix: string,
  ) {
    super(`${input}: ${problem}. ${fix}`);
    this.name = 'InputError';
  }
}
