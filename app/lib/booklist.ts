import { z } from "zod";
import { GRADE_BAND_LABELS, GRADE_BANDS, isGradeBand, type GradeBand } from "./grade-bands";
import { formatIsbn, parseIsbn } from "./isbn";

// A booklist travels in the post form as one set of fields per row,
// `book[0][title]`, `book[0][author]`, …, so the form's values stay a flat
// record of strings that every composer action already sends back when it
// refuses or previews: nothing typed in the table is lost. Adding and removing
// rows are submit buttons (intents), so the table works without JavaScript.

export const BOOKLIST_MAX_ROWS = 200;
export const BOOK_TITLE_MAX = 300;
export const BOOK_AUTHOR_MAX = 200;
export const BOOK_NOTE_MAX = 500;

export const BOOK_FIELDS = ["title", "author", "isbn", "grade", "note"] as const;
export type BookField = (typeof BOOK_FIELDS)[number];

/** One row as typed in the form. */
export type BookFormRow = Record<BookField, string>;

/** One row as stored and shown: the ISBN as 13 digits. */
export type BooklistRow = {
  title: string;
  author: string;
  isbn: string | null;
  gradeBand: GradeBand | null;
  note: string;
};

export const BOOKLIST_ADD_INTENT = "booklist-add";
const REMOVE_INTENT_PREFIX = "booklist-remove-";

/** The button value that removes row `rowNumber` (counted from 1, as the labels are). */
export function booklistRemoveIntent(rowNumber: number) {
  return `${REMOVE_INTENT_PREFIX}${rowNumber}`;
}

/** Add a book or a row's Remove: the table's own buttons. */
export function isBooklistIntent(intent: unknown): boolean {
  return (
    typeof intent === "string" && (intent === BOOKLIST_ADD_INTENT || intent.startsWith(REMOVE_INTENT_PREFIX))
  );
}

export function bookFieldName(index: number, field: BookField) {
  return `book[${index}][${field}]`;
}

const FIELD_NAME = /^book\[(\d{1,4})\]\[(title|author|isbn|grade|note)\]$/;

const emptyRow = (): BookFormRow => ({ title: "", author: "", isbn: "", grade: "", note: "" });

const isEmptyRow = (row: BookFormRow) => BOOK_FIELDS.every((field) => row[field].trim() === "");

/** The rows in the submitted values, in the order of their indexes. */
export function readBookFormRows(values: Record<string, string | undefined>): BookFormRow[] {
  const byIndex = new Map<number, BookFormRow>();
  for (const [name, value] of Object.entries(values)) {
    const match = FIELD_NAME.exec(name);
    if (!match || value === undefined) continue;
    const index = Number(match[1]);
    const row = byIndex.get(index) ?? emptyRow();
    row[match[2] as BookField] = value;
    byIndex.set(index, row);
  }
  return [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, row]) => row);
}

/** Rows as form values, numbered from 0 with no gaps. */
export function bookFormValues(rows: BookFormRow[]): Record<string, string> {
  const values: Record<string, string> = {};
  rows.forEach((row, index) => {
    for (const field of BOOK_FIELDS) values[bookFieldName(index, field)] = row[field];
  });
  return values;
}

/** Stored rows as the form shows them for editing. */
export function formRowsFromBooklist(rows: BooklistRow[]): BookFormRow[] {
  return rows.map((row) => ({
    title: row.title,
    author: row.author,
    isbn: row.isbn ? formatIsbn(row.isbn) : "",
    grade: row.gradeBand ?? "",
    note: row.note,
  }));
}

function withRows(values: Record<string, string>, rows: BookFormRow[]): Record<string, string> {
  const others = Object.fromEntries(Object.entries(values).filter(([name]) => !FIELD_NAME.test(name)));
  return { ...others, ...bookFormValues(rows) };
}

export type BooklistIntentResult = {
  values: Record<string, string>;
  errors: Record<string, string[] | undefined>;
};

/**
 * Adds or removes a row of the form without saving anything; everything else
 * typed is kept. Answers null when the intent is not one of the table's.
 */
export function applyBooklistIntent(
  values: Record<string, string>,
  intent: unknown,
): BooklistIntentResult | null {
  if (typeof intent !== "string") return null;
  const rows = readBookFormRows(values);
  if (intent === BOOKLIST_ADD_INTENT) {
    if (rows.length >= BOOKLIST_MAX_ROWS) {
      return { values, errors: { booklist: [`A booklist holds at most ${BOOKLIST_MAX_ROWS} books.`] } };
    }
    // With no row on screen yet, the table shows one empty row, so Add a book gives two.
    const shown = rows.length === 0 ? [emptyRow()] : rows;
    return { values: withRows(values, [...shown, emptyRow()]), errors: {} };
  }
  if (intent.startsWith(REMOVE_INTENT_PREFIX)) {
    const rowNumber = Number(intent.slice(REMOVE_INTENT_PREFIX.length));
    if (!Number.isInteger(rowNumber) || rowNumber < 1 || rowNumber > rows.length) {
      return { values, errors: {} };
    }
    return {
      values: withRows(
        values,
        rows.filter((_, index) => index !== rowNumber - 1),
      ),
      errors: {},
    };
  }
  return null;
}

const isbnMessages = {
  format: "an ISBN has 10 or 13 digits (the last one of an ISBN-10 may be X).",
  prefix: "an ISBN-13 starts with 978 or 979.",
  "check-digit": "this ISBN's check digit is wrong — check for a typo.",
} as const;

function rowSchema(rowNumber: number) {
  const row = `Row ${rowNumber}:`;
  return z.object({
    title: z
      .string()
      .trim()
      .min(1, `${row} give the book's title.`)
      .max(BOOK_TITLE_MAX, `${row} keep the title to ${BOOK_TITLE_MAX} characters.`),
    author: z
      .string()
      .trim()
      .max(BOOK_AUTHOR_MAX, `${row} keep the author to ${BOOK_AUTHOR_MAX} characters.`),
    isbn: z
      .string()
      .trim()
      .transform((value, context) => {
        if (value === "") return null;
        const parsed = parseIsbn(value);
        if (parsed.ok) return parsed.isbn13;
        context.addIssue({ code: "custom", message: `${row} ${isbnMessages[parsed.problem]}` });
        return z.NEVER;
      }),
    grade: z.string().transform((value, context) => {
      if (value === "") return null;
      if (isGradeBand(value)) return value;
      context.addIssue({ code: "custom", message: `${row} choose a grade band from the list.` });
      return z.NEVER;
    }),
    note: z.string().trim().max(BOOK_NOTE_MAX, `${row} keep the note to ${BOOK_NOTE_MAX} characters.`),
  });
}

export type BooklistParseResult =
  { ok: true; rows: BooklistRow[] } | { ok: false; errors: Record<string, string[] | undefined> };

/**
 * Validates the booklist in submitted form values. Entirely empty rows are
 * left out; each message names its row and sits under its cell (`book[2][isbn]`).
 */
export function parseBooklist(values: Record<string, string | undefined>): BooklistParseResult {
  const formRows = readBookFormRows(values);
  const errors: Record<string, string[]> = {};
  const rows: BooklistRow[] = [];
  formRows.forEach((formRow, index) => {
    if (isEmptyRow(formRow)) return;
    const result = rowSchema(index + 1).safeParse(formRow);
    if (!result.success) {
      for (const [field, messages] of Object.entries(z.flattenError(result.error).fieldErrors)) {
        if (messages?.length) errors[bookFieldName(index, field as BookField)] = messages;
      }
      return;
    }
    const { title, author, isbn, grade, note } = result.data;
    rows.push({ title, author, isbn, gradeBand: grade, note });
  });
  if (rows.length > BOOKLIST_MAX_ROWS) {
    errors.booklist = [`A booklist holds at most ${BOOKLIST_MAX_ROWS} books; this one has ${rows.length}.`];
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, rows };
}

// CSV ---------------------------------------------------------------------
// RFC 4180 with CRLF line ends and a UTF-8 byte order mark, the one way Excel
// opens UTF-8 correctly; see docs/decisions/021-booklist-csv.md.

export const BOOKLIST_CSV_HEADER = ["Title", "Author", "ISBN", "Grade band", "Note"] as const;

const BOM = "\uFEFF";

// A cell a spreadsheet would run as a formula (OWASP "CSV injection"), or one
// that already starts with the quote we add, so reading it back is exact.
const NEEDS_NEUTRALISING = /^[=+\-@\t\r']/;

function neutralise(cell: string) {
  return NEEDS_NEUTRALISING.test(cell) ? `'${cell}` : cell;
}

function quote(cell: string) {
  return /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

export function writeCsv(records: string[][]): string {
  return BOM + records.map((record) => record.map((cell) => quote(cell)).join(",") + "\r\n").join("");
}

/** The rows of a CSV written by writeCsv or any RFC 4180 writer (CRLF or LF line ends). */
export function readCsv(text: string): string[][] {
  const source = text.startsWith(BOM) ? text.slice(1) : text;
  const records: string[][] = [];
  let record: string[] = [];
  let cell = "";
  let quoted = false;
  for (let index = 0; index < source.length; index++) {
    const character = source[index]!;
    if (quoted) {
      if (character === '"' && source[index + 1] === '"') {
        cell += '"';
        index++;
      } else if (character === '"') {
        quoted = false;
      } else {
        cell += character;
      }
    } else if (character === '"') {
      quoted = true;
    } else if (character === ",") {
      record.push(cell);
      cell = "";
    } else if (character === "\n" || character === "\r") {
      if (character === "\r" && source[index + 1] === "\n") index++;
      record.push(cell);
      records.push(record);
      record = [];
      cell = "";
    } else {
      cell += character;
    }
  }
  if (cell !== "" || record.length > 0) {
    record.push(cell);
    records.push(record);
  }
  return records;
}

/** A booklist as a CSV file: a header, then one line per book. */
export function booklistCsv(rows: BooklistRow[]): string {
  return writeCsv([
    [...BOOKLIST_CSV_HEADER],
    ...rows.map((row) =>
      [
        row.title,
        row.author,
        row.isbn ? formatIsbn(row.isbn) : "",
        row.gradeBand ? GRADE_BAND_LABELS[row.gradeBand] : "",
        row.note,
      ].map(neutralise),
    ),
  ]);
}

const gradeBandByLabel = new Map(GRADE_BANDS.map((band) => [GRADE_BAND_LABELS[band], band]));

/** Reads back a file made by booklistCsv, undoing the formula neutralising. */
export function booklistFromCsv(text: string): BooklistRow[] {
  const [, ...records] = readCsv(text);
  const restore = (cell: string | undefined) => (cell?.startsWith("'") ? cell.slice(1) : (cell ?? ""));
  return records.map((record) => {
    const [title, author, isbn, grade, note] = record.map(restore);
    const parsedIsbn = isbn ? parseIsbn(isbn) : null;
    return {
      title: title ?? "",
      author: author ?? "",
      isbn: parsedIsbn?.ok ? parsedIsbn.isbn13 : null,
      gradeBand: gradeBandByLabel.get(grade ?? "") ?? null,
      note: note ?? "",
    };
  });
}
