// Escaping for text that may come from a pull request (benchmark ids, artifact paths, runtime ids,
// program output). Every renderer routes untrusted text through exactly one of these.

const HTML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** For raw HTML contexts (`<pre>` blocks, attribute values): entities only, Markdown is not parsed there. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c] ?? c);
}

// Characters that start Markdown constructs mid-line: emphasis, code, links/images, tables,
// strikethrough, math. `#`, `-`, `+`, `.` only matter at line start, which untrusted text never gets.
const MARKDOWN_PUNCTUATION = /[\\`*_[\]|~$]/g;

/**
 * For Markdown inline text and table cells: HTML-special characters become entities (no tag can open),
 * Markdown punctuation is backslash-escaped (no emphasis, link or cell break), line breaks become spaces
 * (a cell must stay on its row), and `@` gets a zero-width space so a name cannot ping anyone.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r\n|[\r\n\u2028\u2029]/g, ' ')
    .replace(/[&<>]/g, (c) => HTML_ENTITIES[c] ?? c)
    .replace(MARKDOWN_PUNCTUATION, (c) => `\\${c}`)
    .replace(/@/g, '@\u200b');
}

/** Inline code look for untrusted text; `<code>` (unlike backticks) still honours the escapes above. */
export function codeSpan(text: string): string {
  return `<code>${escapeMarkdown(text)}</code>`;
}

/** Shortens before escaping so an entity or escape is never cut in half. */
export function truncateText(text: string, maxChars: number): string {
  const chars = Array.from(text);
  return chars.length <= maxChars ? text : `${chars.slice(0, Math.max(0, maxChars - 1)).join('')}…`;
}

/** A fenced code block whose fence is longer than any backtick run inside, so the content cannot close it. */
export function codeBlock(content: string, lang = ''): string {
  const longestRun = Math.max(0, ...Array.from(content.matchAll(/`+/g), (m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}${lang}\n${content.replace(/\n+$/, '')}\n${fence}`;
}

/** A preformatted block of raw program output, inert and with its line breaks kept. */
export function preBlock(content: string): string {
  return `<pre>${escapeHtml(content.replace(/\r\n?/g, '\n'))}</pre>`;
}
