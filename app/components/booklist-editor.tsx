import {
  BOOK_AUTHOR_MAX,
  BOOK_NOTE_MAX,
  BOOK_TITLE_MAX,
  BOOKLIST_ADD_INTENT,
  BOOKLIST_MAX_ROWS,
  bookFieldName,
  booklistRemoveIntent,
  readBookFormRows,
  type BookField,
  type BookFormRow,
  type BooklistRow,
} from "~/lib/booklist";
import { GRADE_BAND_LABELS, GRADE_BANDS } from "~/lib/grade-bands";
import { formatIsbn } from "~/lib/isbn";

type EditorProps = {
  /** The form's values: the table reads its rows from the `book[N][field]` entries. */
  values: Record<string, string | undefined>;
  errors: Record<string, string[] | undefined>;
  /** Prefixes the element ids when several forms on one page carry a table (the reply forms). */
  idPrefix?: string;
  /**
   * What Enter in a field does: the hidden first submit button's intent and name.
   * The post form previews; the reply form posts, as it does without the table.
   */
  defaultAction?: { intent: string; label: string };
};

const columns: { field: BookField; label: string; maxLength?: number }[] = [
  { field: "title", label: "Title", maxLength: BOOK_TITLE_MAX },
  { field: "author", label: "Author", maxLength: BOOK_AUTHOR_MAX },
  { field: "isbn", label: "ISBN" },
  { field: "grade", label: "Grade band" },
  { field: "note", label: "Note", maxLength: BOOK_NOTE_MAX },
];

const emptyRow: BookFormRow = { title: "", author: "", isbn: "", grade: "", note: "" };

/**
 * The booklist part of the post form: one row of inputs per book. Add a book
 * and Remove are submit buttons whose intent makes the action send the form
 * back with a row more or less and nothing saved, so they work without
 * JavaScript (lib/booklist.ts).
 */
export function BooklistEditor({
  values,
  errors,
  idPrefix,
  defaultAction = { intent: "preview", label: "Preview" },
}: EditorProps) {
  const ids = (id: string) => (idPrefix ? `${idPrefix}-${id}` : id);
  const hintId = ids("booklist-hint");
  const typed = readBookFormRows(values);
  const rows = typed.length > 0 ? typed : [emptyRow];
  const hasMessages = Object.keys(errors).some(
    (name) => (name === "booklist" || name.startsWith("book[")) && errors[name]?.length,
  );
  return (
    <details className="booklist-editor" open={typed.length > 0 || hasMessages}>
      <summary>Add a booklist</summary>
      {/*
        Enter in any field of the form presses its first submit button. Without this one, that
        would be Remove on book 1; with it, Enter previews, as it did before the table was here.
      */}
      <button
        type="submit"
        name="intent"
        value={defaultAction.intent}
        className="visually-hidden"
        tabIndex={-1}
        aria-hidden="true"
      >
        {defaultAction.label}
      </button>
      <p className="field__hint" id={hintId}>
        Up to {BOOKLIST_MAX_ROWS} books. Only the title is needed; an ISBN may be ISBN-10 or ISBN-13, with or
        without hyphens. Empty rows are left out.
      </p>
      {errors.booklist?.length ? <p className="field__error">{errors.booklist.join(" ")}</p> : null}
      <div className="table-scroll">
        <table className="booklist booklist--editor" aria-describedby={hintId}>
          <caption>Booklist</caption>
          <thead>
            <tr>
              {columns.map((column) => (
                <th key={column.field} scope="col">
                  {column.label}
                </th>
              ))}
              <th scope="col">
                <span className="visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, index) => (
              <tr key={index}>
                {columns.map((column) => (
                  <BookCell
                    key={column.field}
                    id={ids(`book-${index}-${column.field}`)}
                    index={index}
                    column={column}
                    value={row[column.field]}
                    errors={errors[bookFieldName(index, column.field)]}
                  />
                ))}
                <td>
                  <button
                    type="submit"
                    name="intent"
                    value={booklistRemoveIntent(index + 1)}
                    className="button--secondary"
                    aria-label={`Remove book ${index + 1}`}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <button type="submit" name="intent" value={BOOKLIST_ADD_INTENT} className="button--secondary">
        Add a book
      </button>
    </details>
  );
}

function BookCell({
  id,
  index,
  column,
  value,
  errors,
}: {
  id: string;
  index: number;
  column: (typeof columns)[number];
  value: string;
  errors: string[] | undefined;
}) {
  const name = bookFieldName(index, column.field);
  const errorId = errors?.length ? `${id}-error` : undefined;
  const common = {
    id,
    name,
    defaultValue: value,
    "aria-label": `${column.label}, book ${index + 1}`,
    "aria-invalid": errorId ? true : undefined,
    "aria-describedby": errorId,
  };
  return (
    <td>
      {column.field === "grade" ? (
        <select {...common}>
          <option value="">—</option>
          {GRADE_BANDS.map((band) => (
            <option key={band} value={band}>
              {GRADE_BAND_LABELS[band]}
            </option>
          ))}
        </select>
      ) : (
        <input
          type="text"
          {...common}
          inputMode={column.field === "isbn" ? "numeric" : undefined}
          autoComplete="off"
        />
      )}
      {errorId ? (
        <p id={errorId} className="field__error">
          {errors!.join(" ")}
        </p>
      ) : null}
    </td>
  );
}

/** A saved booklist as a table, with its CSV download when there is one to offer. */
export function BooklistTable({ rows, csvHref }: { rows: BooklistRow[]; csvHref?: string }) {
  return (
    <div className="booklist-display">
      <div className="table-scroll">
        <table className="booklist">
          <caption>Booklist</caption>
          <thead>
            <tr>
              <th scope="col">Title</th>
              <th scope="col">Author</th>
              <th scope="col">ISBN</th>
              <th scope="col">Grade band</th>
              <th scope="col">Note</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, index) => (
              <tr key={index}>
                <td>{row.title}</td>
                <td>{row.author}</td>
                <td>{row.isbn ? formatIsbn(row.isbn) : ""}</td>
                <td>{row.gradeBand ? GRADE_BAND_LABELS[row.gradeBand] : ""}</td>
                <td>{row.note}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {csvHref ? (
        <p>
          <a href={csvHref} download>
            Download as CSV
          </a>
        </p>
      ) : null}
    </div>
  );
}
