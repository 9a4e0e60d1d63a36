// ANSI styling for the terminal format, and the text hygiene a terminal needs: untrusted names lose their
// control characters (no escape sequences smuggled in through a file name), columns are padded by width.
export type Style = 'red' | 'green' | 'yellow' | 'cyan' | 'dim' | 'bold';

const CODES: Record<Style, [number, number]> = {
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
  dim: [2, 22],
  bold: [1, 22],
};

export type Paint = (text: string, ...styles: Style[]) => string;

/** A painter that styles text when `color` is on and returns it unchanged otherwise. */
export function painter(color: boolean): Paint {
  if (!color) return (text) => text;
  return (text, ...styles) => styles.reduce((t, s) => `\x1b[${CODES[s][0]}m${t}\x1b[${CODES[s][1]}m`, text);
}

/**
 * Whether to colour: NO_COLOR (any non-empty value, no-color.org) wins, then FORCE_COLOR (non-empty and not
 * `0`), else colour only on a terminal.
 */
export function wantsColor(env: NodeJS.ProcessEnv, isTTY: boolean | undefined): boolean {
  if (env['NO_COLOR']) return false;
  const force = env['FORCE_COLOR'];
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  return isTTY === true;
}

/** Control characters (C0, DEL, C1) shown as `?`: a name cannot move the cursor or restyle the terminal. */
export function plainText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

/** Display width, counting each code point as one column (emoji-free text by construction). */
export function width(text: string): number {
  return [...text].length;
}

export function padEnd(text: string, to: number): string {
  return text + ' '.repeat(Math.max(0, to - width(text)));
}

export function padStart(text: string, to: number): string {
  return ' '.repeat(Math.max(0, to - width(text))) + text;
}
