import { type FormEvent, useEffect, useRef, useState } from 'react';
import { type FieldSpec, fieldRuleDa } from '../../../../libs/domain/src/fields';
import type { FieldSpecView } from '../processes';
import type { Refusal } from '../refusals';

/** A form's values as the inputs hold them: text for one input, a list for repeated inputs and checkboxes. */
type Values = Record<string, string | string[]>;

/** Longer texts than this get a text area. */
const TEXTAREA_FROM = 300;
/** At most this many values are offered as radio buttons; more as a select. */
const RADIOS_UP_TO = 5;

/** Now as a `datetime-local` value in Copenhagen wall-clock (the API reads a time without offset as Copenhagen time). */
export function copenhagenNow(now = new Date()): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Copenhagen', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/** A date alone (`date` input) where the field is a whole day or names a deadline (a date means that day's end). */
const asDate = (spec: FieldSpecView) => spec.type === 'datetime' && (spec.dateOnly === true || spec.endOfDay === true);

/** Sensible first values: a required "not in the future" instant is now, an area is the person's own. */
function initialValues(schema: Record<string, FieldSpecView>, areas: readonly string[], personArea: string | undefined): Values {
  const values: Values = {};
  for (const [field, spec] of Object.entries(schema)) {
    if (spec.type === 'datetime' && spec.notInFuture && spec.required && !asDate(spec)) values[field] = copenhagenNow();
    else if (spec.type === 'area' && personArea && areas.includes(personArea)) values[field] = personArea;
    else if (spec.type === 'string-array') values[field] = spec.values ? [] : [''];
    else values[field] = '';
  }
  return values;
}

/**
 * The payload as the API accepts it: empty fields left out; a date-time as `2026-06-12T16:00`
 * (Copenhagen wall-clock) and a date as `2026-06-12`; a whole number as a number (anything else
 * is sent as typed, so the API's rule words what is wrong); a list without its empty rows.
 */
function payloadOf(schema: Record<string, FieldSpecView>, values: Values): Record<string, unknown> {
  const payload: Record<string, unknown> = {};
  for (const [field, spec] of Object.entries(schema)) {
    const value = values[field];
    if (Array.isArray(value)) {
      const items = value.filter((v) => v.trim() !== '');
      if (items.length > 0) payload[field] = items;
      continue;
    }
    if (value === undefined || value.trim() === '') continue;
    payload[field] = spec.type === 'integer' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;
  }
  return payload;
}

export interface SchemaFormProps {
  /** Unique on the page: the prefix of every input's id. */
  id: string;
  schema: Record<string, FieldSpecView>;
  submitLabel: string;
  areas: readonly string[];
  personArea?: string;
  /** Sends the payload; throws what the API answered when it refused. */
  onSubmit: (payload: Record<string, unknown>) => Promise<void>;
  /** Words a refusal in Danish for this form. */
  refusal: (err: unknown, sent: Record<string, unknown>) => Refusal;
  /** A refusal the page shows itself (at its top: the case moved on); true when handled. */
  onRefused?: (err: unknown) => boolean;
}

/**
 * A form generated from an input schema of the definitions: one labelled input per field, the
 * field's rule as its hint, and the API's refusal beside the field it names (or at the top), with
 * the focus moved to the summary of what is wrong. The API is the one judge: the browser's own
 * validation is off, so every refusal reads the same, in Danish.
 */
export function SchemaForm({ id, schema, submitLabel, areas, personArea, onSubmit, refusal, onRefused }: SchemaFormProps) {
  const [values, setValues] = useState<Values>(() => initialValues(schema, areas, personArea));
  const [problem, setProblem] = useState<Refusal>();
  const [busy, setBusy] = useState(false);
  const summary = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (problem) summary.current?.focus();
  }, [problem]);

  const set = (field: string, value: string | string[]) => setValues((v) => ({ ...v, [field]: value }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const payload = payloadOf(schema, values);
    setBusy(true);
    setProblem(undefined);
    try {
      await onSubmit(payload);
    } catch (err) {
      if (!onRefused?.(err)) setProblem(refusal(err, payload));
    } finally {
      setBusy(false);
    }
  };
  const inputId = (field: string) => `${id}-${field}`;
  const errorOf = (field: string) => problem?.fields.find((f) => f.field === field)?.message;

  return (
    <form noValidate onSubmit={(e) => void submit(e)} aria-labelledby={`${id}-title`}>
      {problem && (
        <div className="alert alert-error" role="alert" tabIndex={-1} ref={summary} id={`${id}-problem`}>
          <div className="alert-body">
            <p className="alert-heading">{problem.title}</p>
            {problem.fields.length > 0 && (
              <ul className="alert-text nobullet-list">
                {problem.fields.map((f) => (
                  <li key={f.field}>
                    <a href={`#${inputId(f.field)}`}>{f.message}</a>
                  </li>
                ))}
              </ul>
            )}
            {problem.detail && <p className="alert-text">Besked fra systemet: {problem.detail}</p>}
          </div>
        </div>
      )}
      {Object.entries(schema).map(([field, spec]) => (
        <Field key={field} id={inputId(field)} spec={spec} value={values[field]} error={errorOf(field)} areas={areas} onChange={(v) => set(field, v)} />
      ))}
      <button type="submit" className="button button-primary" disabled={busy}>
        {submitLabel}
      </button>
    </form>
  );
}

interface FieldProps {
  id: string;
  spec: FieldSpecView;
  value: string | string[] | undefined;
  error: string | undefined;
  areas: readonly string[];
  onChange: (value: string | string[]) => void;
}

/** One field: its label, its rule in Danish as the hint, the error beside it, and the input its type asks for. */
function Field({ id, spec, value, error, areas, onChange }: FieldProps) {
  // Choices shown as radio buttons or checkboxes need no hint naming them.
  const choices = (spec.type === 'enum' && (spec.values?.length ?? 0) <= RADIOS_UP_TO) || (spec.type === 'string-array' && spec.values !== undefined);
  const hint = [choices ? '' : fieldRuleDa(spec as unknown as FieldSpec, { areas }), spec.heldOutsideWorkflow ? 'Gemmes krypteret uden for sagsforløbet; kun den tilknyttede jurist kan læse det.' : ''].filter(Boolean).join(' ');
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const label = (
    <>
      {spec.label}
      {!spec.required && <span className="weight-normal"> (valgfrit)</span>}
    </>
  );
  const hintAndError = (
    <>
      {hint && <span className="form-hint" id={`${id}-hint`}>{hint}</span>}
      {error && <span className="form-error-message" id={`${id}-error`}>{error}</span>}
    </>
  );
  const group = `form-group${error ? ' form-error' : ''}`;
  const common = { id, 'aria-describedby': describedBy, 'aria-invalid': error ? true : undefined, 'aria-required': spec.required ? true : undefined } as const;
  const text = typeof value === 'string' ? value : '';
  const list = Array.isArray(value) ? value : [];
  const labelOf = (v: string) => spec.valueLabels?.[v] ?? v;

  if (choices) {
    const multiple = spec.type === 'string-array';
    return (
      <fieldset className={group} aria-describedby={describedBy} id={id} tabIndex={-1}>
        <legend className="form-label">{label}</legend>
        {hintAndError}
        <ul className="nobullet-list">
          {(spec.values ?? []).map((v) => (
            <li key={v}>
              <input
                className={multiple ? 'form-checkbox' : 'form-radio'}
                type={multiple ? 'checkbox' : 'radio'}
                id={`${id}-${v}`}
                name={id}
                value={v}
                checked={multiple ? list.includes(v) : text === v}
                onChange={(e) => onChange(multiple ? (e.target.checked ? [...list, v] : list.filter((x) => x !== v)) : v)}
              />
              <label htmlFor={`${id}-${v}`}>{labelOf(v)}</label>
            </li>
          ))}
        </ul>
      </fieldset>
    );
  }
  if (spec.type === 'string-array') {
    const rows = list.length > 0 ? list : [''];
    return (
      <fieldset className={group} aria-describedby={describedBy} id={id} tabIndex={-1}>
        <legend className="form-label">{label}</legend>
        {hintAndError}
        {rows.map((item, i) => (
          <div key={i} className="repeated-input">
            <label className="sr-only" htmlFor={`${id}-${i}`}>{`${spec.label}, punkt ${i + 1}`}</label>
            <input className="form-input" type="text" id={`${id}-${i}`} value={item} onChange={(e) => onChange(rows.map((r, j) => (j === i ? e.target.value : r)))} />
            {rows.length > 1 && (
              <button type="button" className="button button-unstyled" onClick={() => onChange(rows.filter((_, j) => j !== i))}>
                Fjern<span className="sr-only">{` punkt ${i + 1}`}</span>
              </button>
            )}
          </div>
        ))}
        {/* The new row takes the focus, so a keyboard user types on where they are. */}
        <button type="button" className="button button-secondary" onClick={() => (onChange([...rows, '']), requestAnimationFrame(() => document.getElementById(`${id}-${rows.length}`)?.focus()))}>
          Tilføj punkt<span className="sr-only">{` til ${spec.label}`}</span>
        </button>
      </fieldset>
    );
  }

  let input: React.ReactNode;
  switch (spec.type) {
    case 'enum':
    case 'area': {
      const options = spec.type === 'area' ? areas : (spec.values ?? []);
      input = (
        <select className="form-select" {...common} value={text} onChange={(e) => onChange(e.target.value)}>
          <option value="">{spec.type === 'area' ? 'Vælg område' : 'Vælg'}</option>
          {options.map((v) => <option key={v} value={v}>{labelOf(v)}</option>)}
        </select>
      );
      break;
    }
    case 'datetime':
      input = <input className="form-input" type={asDate(spec) ? 'date' : 'datetime-local'} {...common} value={text} onChange={(e) => onChange(e.target.value)} />;
      break;
    case 'integer':
      input = <input className="form-input input-width-xs" type="text" inputMode="numeric" {...common} value={text} onChange={(e) => onChange(e.target.value)} />;
      break;
    case 'string':
      input =
        (spec.maxLength ?? Infinity) > TEXTAREA_FROM ? (
          <textarea className="form-input" rows={4} maxLength={spec.maxLength} {...common} value={text} onChange={(e) => onChange(e.target.value)} />
        ) : (
          <input className="form-input" type="text" maxLength={spec.maxLength} {...common} value={text} onChange={(e) => onChange(e.target.value)} />
        );
  }
  return (
    <div className={group}>
      <label className="form-label" htmlFor={id}>{label}</label>
      {hintAndError}
      {input}
    </div>
  );
}
