// Escaping for text that may come from a pull request (benchmark ids, artifact paths, runtime ids,
// program output). Every renderer routes untrusted text through exactly one of these.

const HTML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

// Bidi embeddings, overrides, isolates and marks: they reorder what a reader sees ("Trojan Source"),
// so a name could pose as another. Each is shown as its code point instead.
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;

// C0 controls but tab and line breaks, and DEL: a NUL or an escape sequence written raw into a summary or a
// comment could end or garble it, so each is shown as its code point too.
// eslint-disable-next-line no-control-regex
const OTHER_CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

const codePoint = (c: string) => `<U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}>`;

/** Bidi controls made visible as `<U+202E>` (before HTML escaping, which then makes the brackets entities). */
export function neutraliseBidi(text: string): string {
  return text.replace(BIDI_CONTROLS, codePoint);
}

/** Bidi and other control characters (NUL, ESC, …) made visible as code points. */
export function visibleControls(text: string): string {
  return neutraliseBidi(text).replace(OTHER_CONTROLS, codePoint);
}

/**
 * For plain text shown literally (an issue title): bidi controls shown as code points as in bodies, line
 * breaks as spaces, other control characters dropped, so a name can neither reorder nor break the line.
 */
export function plainLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return neutraliseBidi(text.replace(/\r\n|[\r\n\u2028\u2029]/g, ' ')).replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
}

/** For raw HTML contexts (`<pre>` blocks, attribute values): entities only, Markdown is not parsed there. */
export function escapeHtml(text: string): string {
  return visibleControls(text).replace(/[&<>"']/g, (c) => HTML_ENTITIES[c] ?? c);
}

// Characters that start Markdown constructs mid-line: emphasis, code, links/images, tables,
// strikethrough, math. `#`, `-`, `+`, `.` only matter at line start, which untrusted text never gets.
const MARKDOWN_PUNCTUATION = /[\\`*_[\]|~$]/g;

// An `@` that GitHub could read as a mention (not glued to a preceding letter or digit, as in `node@20`).
const MENTION = /(?<![A-Za-z0-9])@/g;

/**
 * For Markdown inline text and table cells: HTML-special characters become entities (no tag can open),
 * Markdown punctuation is backslash-escaped (no emphasis, link or cell break), line breaks become spaces
 * (a cell must stay on its row), an `@` that could start a mention gets a zero-width space so a name cannot ping anyone,
 * and bidi controls are shown as code points so a name cannot reorder what is displayed.
 */
export function escapeMarkdown(text: string): string {
  return visibleControls(text)
    .replace(/\r\n|[\r\n\u2028\u2029]/g, ' ')
    .replace(/[&<>]/g, (c) => HTML_ENTITIES[c] ?? c)
    .replace(MARKDOWN_PUNCTUATION, (c) => `\\${c}`)
    .replace(MENTION, '@\u200b');
}

/** Inline code look for untrusted text; `<code>` (unlike backticks) still honours the escapes above. */
export function codeSpan(text: string): string {
  return `<code>${escapeMarkdown(text)}</code>`;
}

/**
 * Shortens to at most `maxChars` code points, marking the cut with `…`; `middle` keeps both ends (the end of
 * a path is what tells names apart). Call before escaping, so an entity or escape is never cut in half.
 */
export function truncateText(text: string, maxChars: number, where: 'end' | 'middle' = 'end'): string {
  const chars = Array.from(text);
  if (chars.length <= maxChars) return text;
  const keep = Math.max(0, maxChars - 1);
  if (where === 'end') return `${chars.slice(0, keep).join('')}…`;
  const tail = Math.floor(keep / 2);
  return `${chars.slice(0, keep - tail).join('')}…${chars.slice(chars.length - tail).join('')}`;
}

/** A fenced code block whose fence is longer than any backtick run inside, so the content cannot close it. */
export function codeBlock(untrusted: string, lang = ''): string {
  const content = neutraliseBidi(untrusted);
  const longestRun = Math.max(0, ...Array.from(content.matchAll(/`+/g), (m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}${lang}\n${content.replace(/\n+$/, '')}\n${fence}`;
}

/** A preformatted block of raw program output, inert and with its line breaks kept. */
export function preBlock(content: string): string {
  return `<pre>${escapeHtml(content.replace(/\r\n?/g, '\n'))}</pre>`;
}

/** For untrusted text on one line of a raw HTML block (e.g. inside `<summary>`): entities, no line breaks. */
export function escapeHtmlLine(text: string): string {
  return escapeHtml(text.replace(/\r\n|[\r\n\u2028\u2029]/g, ' ')).replace(MENTION, '@\u200b');
}

/**
 * A URL usable as a Markdown link target, or undefined when it is not http(s) (no `javascript:` links).
 * Characters that would end the link early are percent-encoded.
 */
export function linkTarget(url: string): string | undefined {
  if (!/^https?:\/\//i.test(url)) return undefined;
  return url.replace(/[\s()<>"'`\\[\]|]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}
