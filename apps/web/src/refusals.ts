import { type FieldSpec, fieldProblemDa } from '../../../libs/domain/src/fields';
import { ApiError } from './api';
import { type FieldSpecView, type ProcessView, actionLabel, stepLabel } from './processes';

/** A refused request as staff read it: a Danish summary, the API's own words as the detail, and the fields it names. */
export interface Refusal {
  title: string;
  /** The API's own message, shown beneath the Danish text. */
  detail?: string;
  /** Danish messages beside the fields the API named (the form's own fields only). */
  fields: { field: string; message: string }[];
}

/**
 * Words an answer other than 2xx in Danish. A 400 names fields: each is worded by the domain's
 * own field rule (fieldProblemDa) on the value that was sent, so the words say exactly what the
 * rule found; a field refused by a rule of the case (not the field's own, e.g. "after the
 * receipt") gets the label and the API's message. A 409 names the step and what is allowed now.
 */
export function refusalInDanish(err: unknown, context: { schema?: Record<string, FieldSpecView>; sent?: Record<string, unknown>; process?: ProcessView; areas?: readonly string[] }): Refusal {
  if (!(err instanceof ApiError)) return { title: 'Der kunne ikke oprettes forbindelse til systemet. Prøv igen.', fields: [] };
  const { schema = {}, sent = {}, process, areas } = context;
  switch (err.status) {
    case 400: {
      const fields = err.fields
        .filter((f) => Object.hasOwn(schema, f.field))
        .map((f) => {
          const spec = schema[f.field] as unknown as FieldSpec;
          const worded = fieldProblemDa(spec, sent[f.field], Date.now(), areas ? { areas } : {});
          return { field: f.field, message: worded ?? `${spec.label}: opfylder ikke sagens regler (${f.message})` };
        });
      const others = err.fields.filter((f) => !Object.hasOwn(schema, f.field));
      return {
        title: fields.length > 0 ? 'Ret de markerede felter' : 'Oplysningerne blev afvist',
        ...(others.length > 0 || fields.length === 0 ? { detail: others.map((f) => f.message).join('; ') || err.message } : {}),
        fields,
      };
    }
    case 403:
      return { title: 'Du har ikke adgang til at gøre dette på sagen.', detail: err.message, fields: [] };
    case 404:
      return { title: 'Sagen findes ikke, eller du har ikke adgang til den.', detail: err.message, fields: [] };
    case 409: {
      const step = typeof err.details.step === 'string' ? err.details.step : undefined;
      const allowed = Array.isArray(err.details.allowedActions) ? (err.details.allowedActions as string[]) : undefined;
      if (step === undefined) return { title: 'Det kan ikke lade sig gøre nu, fordi det strider mod en anden sag eller anmodning.', detail: err.message, fields: [] };
      const now = allowed && allowed.length > 0 ? `Du kan nu: ${allowed.map((a) => `«${actionLabel(process, a)}»`).join(', ')}.` : 'Du kan ikke foretage dig mere på sagen i dette trin.';
      return { title: `Handlingen er ikke mulig nu. Sagen er i trinnet «${stepLabel(process, step)}». ${now}`, detail: err.message, fields: [] };
    }
    default:
      return { title: `Systemet kunne ikke udføre handlingen (fejl ${err.status}). Prøv igen senere.`, detail: err.message, fields: [] };
  }
}
