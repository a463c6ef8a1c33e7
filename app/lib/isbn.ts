// ISBNs as people type them ("0-14-241031-X", "978 0 14 241031 8") and as
// Crosswalk stores them: 13 digits, so one book is one key on every list.

export type IsbnProblem = "format" | "prefix" | "check-digit";

export type IsbnResult = { ok: true; isbn13: string } | { ok: false; problem: IsbnProblem };

/** The ISBN-10 check character (0–9 or X) for its first nine digits. */
function isbn10CheckCharacter(firstNine: string): string {
  let sum = 0;
  for (let index = 0; index < 9; index++) sum += Number(firstNine[index]) * (10 - index);
  const check = (11 - (sum % 11)) % 11;
  return check === 10 ? "X" : String(check);
}

/** The ISBN-13 (EAN-13) check digit for its first twelve digits. */
function isbn13CheckDigit(firstTwelve: string): string {
  let sum = 0;
  for (let index = 0; index < 12; index++) sum += Number(firstTwelve[index]) * (index % 2 === 0 ? 1 : 3);
  return String((10 - (sum % 10)) % 10);
}

/** An ISBN-10 as its ISBN-13: the 978 prefix and a new check digit. */
export function isbn10To13(isbn10: string): string {
  const firstTwelve = `978${isbn10.slice(0, 9)}`;
  return firstTwelve + isbn13CheckDigit(firstTwelve);
}

/**
 * Reads an ISBN-10 or ISBN-13 with or without hyphens and spaces (and an
 * "ISBN" label), checks its check digit, and answers it as ISBN-13 digits.
 */
export function parseIsbn(input: string): IsbnResult {
  const compact = input
    .trim()
    .replace(/^isbn(?:-1[03])?:?/i, "")
    .replace(/[\s-]/g, "")
    .toUpperCase();
  if (/^\d{9}[\dX]$/.test(compact)) {
    if (isbn10CheckCharacter(compact) !== compact[9]) return { ok: false, problem: "check-digit" };
    return { ok: true, isbn13: isbn10To13(compact) };
  }
  if (/^\d{13}$/.test(compact)) {
    // Only the 978 and 979 "Bookland" prefixes are ISBNs; other EAN-13s are not books.
    if (!/^97[89]/.test(compact)) return { ok: false, problem: "prefix" };
    if (isbn13CheckDigit(compact) !== compact[12]) return { ok: false, problem: "check-digit" };
    return { ok: true, isbn13: compact };
  }
  return { ok: false, problem: "format" };
}

/**
 * An ISBN-13 for reading: "978-0142410318". Hyphens between the registration
 * group, publisher and title need the ISBN agency's range table, which changes;
 * splitting off the prefix alone is always right and keeps spreadsheets from
 * reading the ISBN as a number.
 */
export function formatIsbn(isbn13: string): string {
  return `${isbn13.slice(0, 3)}-${isbn13.slice(3)}`;
}
