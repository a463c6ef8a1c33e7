import {
  useEffect,
  useState,
  type InputHTMLAttributes,
  type ReactNode,
  type Ref,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from "react";

/**
 * A key for a <Form> that changes with every answer from its action, so the
 * form re-renders from the answer as a full page load would: the kept values
 * come back and password fields come back empty.
 */
export function useFormKey(actionResult: unknown): number {
  // After a refused form, focus goes to the first field with a message, where a person would
  // look for it; a screen reader then reads the field and its message together.
  useEffect(() => {
    if (actionResult) document.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [actionResult]);
  // React's pattern for deriving state from a changed value during render.
  const [seen, setSeen] = useState({ result: actionResult, key: 0 });
  if (seen.result !== actionResult) {
    setSeen({ result: actionResult, key: seen.key + 1 });
    return seen.key + 1;
  }
  return seen.key;
}

type FieldFrameProps = {
  id: string;
  label: string;
  hint?: ReactNode;
  errors?: string[];
  children: (describedBy: string | undefined, invalid: boolean) => ReactNode;
};

/** Label, hint and the server's message for one control, wired up for screen readers. */
function FieldFrame({ id, label, hint, errors, children }: FieldFrameProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors?.length ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      ) : null}
      {children(describedBy, Boolean(errorId))}
      {errorId ? (
        <p id={errorId} className="field__error">
          {errors!.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

type Common = { label: string; name: string; hint?: ReactNode; errors?: string[]; id?: string };

export function TextField({
  label,
  name,
  hint,
  errors,
  id: givenId,
  ...input
}: Common & InputHTMLAttributes<HTMLInputElement>) {
  const id = givenId ?? `field-${name}`;
  return (
    <FieldFrame id={id} label={label} hint={hint} errors={errors}>
      {(describedBy, invalid) => (
        <input
          id={id}
          name={name}
          type="text"
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy}
          {...input}
        />
      )}
    </FieldFrame>
  );
}

export function TextAreaField({
  label,
  name,
  hint,
  errors,
  id: givenId,
  textareaRef,
  ...textarea
}: Common & TextareaHTMLAttributes<HTMLTextAreaElement> & { textareaRef?: Ref<HTMLTextAreaElement> }) {
  const id = givenId ?? `field-${name}`;
  return (
    <FieldFrame id={id} label={label} hint={hint} errors={errors}>
      {(describedBy, invalid) => (
        <textarea
          id={id}
          name={name}
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy}
          ref={textareaRef}
          {...textarea}
        />
      )}
    </FieldFrame>
  );
}

export function SelectField({
  label,
  name,
  hint,
  errors,
  options,
  placeholder,
  id: givenId,
  ...select
}: Common &
  SelectHTMLAttributes<HTMLSelectElement> & {
    options: { value: string; label: string }[];
    placeholder?: string;
  }) {
  const id = givenId ?? `field-${name}`;
  return (
    <FieldFrame id={id} label={label} hint={hint} errors={errors}>
      {(describedBy, invalid) => (
        <select
          id={id}
          name={name}
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy}
          {...select}
        >
          {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </FieldFrame>
  );
}

/** A checkbox with its label beside it and an optional hint under the label. */
export function CheckboxField({
  label,
  name,
  hint,
  id: givenId,
  ...input
}: Omit<Common, "errors"> & Omit<InputHTMLAttributes<HTMLInputElement>, "type">) {
  const id = givenId ?? `field-${name}`;
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div className="field field--checkbox">
      <input id={id} name={name} type="checkbox" aria-describedby={hintId} {...input} />
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

/** A message about the whole form (not one field), announced when it appears. */
export function FormError({ message }: { message?: string | null }) {
  if (!message) return null;
  return (
    <p className="notice notice--error" role="alert">
      {message}
    </p>
  );
}

export function Notice({ children }: { children: ReactNode }) {
  return (
    <p className="notice" role="status">
      {children}
    </p>
  );
}
