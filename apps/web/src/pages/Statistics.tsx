import { useEffect, useState } from 'react';
import { ApiError, api } from '../api';
import { date, dateTime } from '../format';
import { type ProcessView, stepLabel, useProcesses } from '../processes';
import { Link, useLocation } from '../router';
import { AreaFilter, ProcessFilter } from '../filters';

/**
 * Statistik: the reports as the memos present them (GET /api/v1/statistics/{report}) and where
 * cases wait (GET /api/v1/statistics/waiting). Each section a chart and the same figures in a
 * table (the chart is drawn for the eye; the table is what a screen reader reads). A count small
 * enough to single out a case comes from the API as "< 5" and is shown so.
 */

/** A count as the API gives it: exact, or hidden ("< 5") from a person who may not read the cases. */
type Count = number | string;

interface Period {
  from: string;
  to: string;
}

const SECTIONS = [
  { key: 'sikkerhedsbrud', label: 'Sikkerhedsbrud' },
  { key: 'klager', label: 'Klager' },
  { key: 'kurser', label: 'Obligatoriske kurser' },
  { key: 'aktindsigt', label: 'Aktindsigt' },
  { key: 'ventetid', label: 'Hvor venter sagerne' },
] as const;
type SectionKey = (typeof SECTIONS)[number]['key'];

export function Statistics() {
  const { query } = useLocation();
  const section = SECTIONS.find((s) => s.key === query.get('afsnit')) ?? SECTIONS[0];
  return (
    <>
      <h1>Statistik</h1>
      <nav aria-label="Statistikkens afsnit">
        <ul className="nobullet-list statistics-sections">
          {SECTIONS.map((s) => (
            <li key={s.key}>
              <Link to={`/statistik?afsnit=${s.key}`} aria-current={s.key === section.key ? 'page' : undefined} className={s.key === section.key ? 'current' : undefined}>
                {s.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <Section key={section.key} section={section.key} />
    </>
  );
}

function Section({ section }: { section: SectionKey }) {
  switch (section) {
    case 'sikkerhedsbrud':
      return <Breaches />;
    case 'klager':
      return <Complaints />;
    case 'kurser':
      return <Training />;
    case 'aktindsigt':
      return <AccessRequests />;
    case 'ventetid':
      return <Waiting />;
  }
}

// ---------------------------------------------------------------------------------------------
// Numbers, dates and the reading of a report

const number = (n: Count | null | undefined): string => (n === null || n === undefined ? '–' : typeof n === 'number' ? n.toLocaleString('da-DK') : n);
const decimal = (n: number) => n.toLocaleString('da-DK', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const percent = (share: number | null | undefined): string => (share === null || share === undefined ? '–' : `${(share * 100).toLocaleString('da-DK', { maximumFractionDigits: 1 })} %`);
/** Hours as the API gives them (one decimal), with days beside them from two days up. */
const hours = (h: number | null | undefined): string => (h === null || h === undefined ? '–' : `${decimal(h)} timer${h >= 48 ? ` (${decimal(h / 24)} dage)` : ''}`);

/** The last day of a period the API gives (its end is the next day's 00:00, exclusive). */
const lastDay = (p: Period) => date(new Date(Date.parse(p.to) - 1).toISOString());

/** Today in Copenhagen as YYYY-MM-DD, moved by `days`. */
function copenhagenDay(days = 0): string {
  const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Copenhagen', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

type Reading<T> = { state: 'loading' } | { state: 'ok'; data: T } | { state: 'forbidden' } | { state: 'invalid'; fields: Record<string, string> } | { state: 'failed'; message: string };

/** One report, read again whenever its query changes. */
function useReport<T>(path: string): Reading<T> {
  const [reading, setReading] = useState<Reading<T>>({ state: 'loading' });
  useEffect(() => {
    let live = true;
    setReading({ state: 'loading' });
    api.get<T>(path).then(
      (data) => live && setReading({ state: 'ok', data }),
      (err: unknown) => {
        if (!live) return;
        if (err instanceof ApiError && err.status === 403) setReading({ state: 'forbidden' });
        else if (err instanceof ApiError && err.status === 400) setReading({ state: 'invalid', fields: Object.fromEntries(err.fields.map((f) => [f.field, fieldMessage(f.field)])) });
        else setReading({ state: 'failed', message: err instanceof ApiError ? `Statistikken kunne ikke hentes (${err.status}).` : 'Statistikken kunne ikke hentes.' });
      },
    );
    return () => {
      live = false;
    };
  }, [path]);
  return reading;
}

function fieldMessage(field: string): string {
  switch (field) {
    case 'from':
      return 'Vælg en gyldig dato, som ikke ligger efter "Til og med".';
    case 'to':
      return 'Vælg en gyldig dato.';
    case 'area':
      return 'Vælg et af områderne.';
    case 'process':
      return 'Vælg en af processerne.';
    default:
      return 'Ugyldig værdi.';
  }
}

/** What a reading shows until there are figures: loading, no access (explained), or a problem. */
function Status({ reading, subject }: { reading: Reading<unknown>; subject: string }) {
  switch (reading.state) {
    case 'loading':
      return <p aria-busy="true">Henter statistikken …</p>;
    case 'forbidden':
      return (
        <div className="alert alert-info" role="status">
          <div className="alert-body">
            <p className="alert-heading">Du har ikke adgang til statistikken om {subject}</p>
            <p className="alert-text">
              Statistikken kan kun læses af personer, hvis rolle giver adgang til den (fx Ledelsessekretariatet og direktionen). Har du brug for tallene, så spørg din leder eller
              Ledelsessekretariatet.
            </p>
          </div>
        </div>
      );
    case 'failed':
      return (
        <div className="alert alert-error" role="alert">
          <div className="alert-body">
            <p className="alert-text">{reading.message}</p>
          </div>
        </div>
      );
    case 'invalid': // the field says what is wrong
    case 'ok':
      return null;
  }
}

/** A section: its heading and explanation, its filters, and its figures once read (else what is in the way). */
function ReportSection<T>({ id, heading, intro, subject, reading, filters, children }: {
  id: string;
  heading: string;
  intro: React.ReactNode;
  subject: string;
  reading: Reading<T>;
  filters?: React.ReactNode;
  children: (data: T) => React.ReactNode;
}) {
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{heading}</h2>
      <p>{intro}</p>
      {filters && reading.state !== 'forbidden' && (
        <form className="filters" aria-label={`Filtrér: ${heading}`} onSubmit={(e) => e.preventDefault()}>
          {filters}
        </form>
      )}
      <Status reading={reading} subject={subject} />
      {reading.state === 'ok' && children(reading.data)}
    </section>
  );
}

function HiddenNote({ hiddenBelow }: { hiddenBelow?: number }) {
  if (!hiddenBelow) return null;
  return <p className="form-hint">Tal fra 1 til {hiddenBelow - 1} vises som „&lt; {hiddenBelow}“, fordi de kan pege på en enkelt sag; det samme gælder tal, der kan regnes ud af dem.</p>;
}

// ---------------------------------------------------------------------------------------------
// Filters

interface PeriodValue {
  from: string;
  to: string;
}

function PeriodFields({ value, onChange, errors, idPrefix }: { value: PeriodValue; onChange: (v: PeriodValue) => void; errors: Record<string, string>; idPrefix: string }) {
  return (
    <>
      <DateField id={`${idPrefix}-from`} label="Fra og med" value={value.from} error={errors.from} onChange={(from) => onChange({ ...value, from })} />
      <DateField id={`${idPrefix}-to`} label="Til og med" value={value.to} error={errors.to} onChange={(to) => onChange({ ...value, to })} />
    </>
  );
}

function DateField({ id, label, value, error, onChange }: { id: string; label: string; value: string; error?: string; onChange: (v: string) => void }) {
  return (
    <div className={`form-group${error ? ' form-error' : ''}`}>
      <label className="form-label" htmlFor={id}>{label}</label>
      {error && <span className="form-error-message" id={`${id}-error`}>{error}</span>}
      <input className="form-input form-input-date" type="date" id={id} value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} />
    </div>
  );
}

const periodQuery = (p: PeriodValue) => new URLSearchParams({ ...(p.from ? { from: p.from } : {}), ...(p.to ? { to: p.to } : {}) });
const invalidFields = (r: Reading<unknown>) => (r.state === 'invalid' ? r.fields : {});

// ---------------------------------------------------------------------------------------------
// Charts: bars drawn with CSS, hidden from screen readers (the table beside each holds the figures)

interface Bar {
  label: string;
  value: Count | null;
  tone: number;
}

function BarChart({ title, groups, unit = '' }: { title: string; groups: { label: string; bars: Bar[] }[]; unit?: string }) {
  const values = groups.flatMap((g) => g.bars.map((b) => (typeof b.value === 'number' ? b.value : 0)));
  const max = Math.max(1, ...values);
  const legend = groups[0]?.bars ?? [];
  return (
    <figure className="bar-chart">
      <figcaption>
        {title} <span className="form-hint">(de samme tal står i tabellen herunder)</span>
      </figcaption>
      <div aria-hidden="true">
        {legend.length > 1 && (
          <ul className="nobullet-list bar-chart-legend">
            {legend.map((b) => (
              <li key={b.label}>
                <span className={`bar-swatch bar-tone-${b.tone}`} /> {b.label}
              </li>
            ))}
          </ul>
        )}
        {groups.map((g) => (
          <div key={g.label} className="bar-chart-group">
            <div className="bar-chart-label">{g.label}</div>
            <div className="bar-chart-bars">
              {g.bars.map((b) => (
                <div key={b.label} className="bar-chart-row">
                  {/* A hidden count ("< 5") is drawn as a short hatched stub; nothing to measure, as no bar. */}
                  <span
                    className={`bar bar-tone-${b.tone}${typeof b.value === 'string' ? ' bar-hidden' : ''}`}
                    style={{ width: typeof b.value === 'number' ? `${(b.value / max) * 100}%` : typeof b.value === 'string' ? '0.5rem' : 0 }}
                  />
                  <span className="bar-value">
                    {typeof b.value === 'number' ? `${b.value.toLocaleString('da-DK', { maximumFractionDigits: 1 })}${unit}` : number(b.value)}
                  </span>
                </div>
              ))}
            </div>
          </div>
        ))}
      </div>
    </figure>
  );
}

// ---------------------------------------------------------------------------------------------
// Sikkerhedsbrud: the 2021 memo's table per year

interface BreachCounts {
  reported: Count;
  actual: Count;
  recategorised: Count;
  notified: Count;
  notifiedLate: Count;
}

interface BreachReport extends BreachCounts {
  period: Period;
  years: (BreachCounts & { year: number; period: Period })[];
  smallCountsHiddenBelow?: number;
}

const BREACH_COLUMNS: { key: keyof BreachCounts; label: string }[] = [
  { key: 'reported', label: 'Anmeldte mulige sikkerhedsbrud' },
  { key: 'actual', label: 'Håndteret som faktiske sikkerhedsbrud' },
  { key: 'recategorised', label: 'Omkategoriseret' },
  { key: 'notified', label: 'Anmeldt til Datatilsynet' },
  { key: 'notifiedLate', label: 'Heraf anmeldt efter 72 timer' },
];

function Breaches() {
  const thisYear = Number(copenhagenDay().slice(0, 4));
  const [period, setPeriod] = useState<PeriodValue>({ from: `${thisYear - 4}-01-01`, to: copenhagenDay() });
  const reading = useReport<BreachReport>(`/statistics/data-breaches?${periodQuery(period)}`);
  return (
    <ReportSection
      id="breaches-heading"
      heading="Sikkerhedsbrud pr. år"
      subject="sikkerhedsbrud"
      reading={reading}
      intro={
        <>
          Som i statusnotatet fra 2021: mulige brud på persondatasikkerheden, der er anmeldt til GDPR-funktionen, talt efter det år, bruddet blev konstateret (dansk tid), og hvordan de er
          håndteret. Anmeldelse til Datatilsynet skal ske senest 72 timer efter, at bruddet er konstateret (databeskyttelsesforordningens artikel 33).
        </>
      }
      filters={<PeriodFields idPrefix="breaches" value={period} onChange={setPeriod} errors={invalidFields(reading)} />}
    >
      {(data) => (
        <>
          <BarChart
            title="Sikkerhedsbrud pr. år"
            groups={data.years.map((y) => ({ label: String(y.year), bars: BREACH_COLUMNS.slice(0, 4).map((c, i) => ({ label: c.label, value: y[c.key], tone: i })) }))}
          />
          <table className="table table--zebra">
            <caption>Sikkerhedsbrud pr. år ({date(data.period.from)} – {lastDay(data.period)})</caption>
            <thead>
              <tr>
                <th scope="col">År</th>
                {BREACH_COLUMNS.map((c) => <th key={c.key} scope="col" className="numeric">{c.label}</th>)}
              </tr>
            </thead>
            <tbody>
              {data.years.map((y) => (
                <tr key={y.year}>
                  <th scope="row">{y.year}</th>
                  {BREACH_COLUMNS.map((c) => <td key={c.key} className="numeric">{number(y[c.key])}</td>)}
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">I alt</th>
                {BREACH_COLUMNS.map((c) => <td key={c.key} className="numeric">{number(data[c.key])}</td>)}
              </tr>
            </tfoot>
          </table>
          <HiddenNote hiddenBelow={data.smallCountsHiddenBelow} />
        </>
      )}
    </ReportSection>
  );
}

// ---------------------------------------------------------------------------------------------
// Klager pr. område mod baseline

interface ComplaintArea {
  area: string;
  inPeriod: Count;
  sinceBaseline: Count;
  realitetsklagerInPeriod: Count;
  realitetsklagerSinceBaseline: Count;
  baseline: number | null;
  differenceFromBaseline: number | null;
  ratioToBaseline: number | null;
}

interface ComplaintReport {
  period: Period;
  baselineDate: string;
  areas: ComplaintArea[];
  total: { inPeriod: Count; sinceBaseline: Count; realitetsklagerInPeriod: Count; realitetsklagerSinceBaseline: Count; baseline: number };
  smallCountsHiddenBelow?: number;
}

const signed = (n: number | null) => (n === null ? '–' : `${n > 0 ? '+' : ''}${n.toLocaleString('da-DK')}`);

function Complaints() {
  // The legal network validates the counts every 6 weeks: the last 42 whole days by default.
  const [period, setPeriod] = useState<PeriodValue>({ from: copenhagenDay(-42), to: copenhagenDay(-1) });
  const reading = useReport<ComplaintReport>(`/statistics/complaints?${periodQuery(period)}`);
  return (
    <ReportSection
      id="complaints-heading"
      heading="Klager pr. område mod baseline"
      subject="klager"
      reading={reading}
      intro={
        <>
          Klager over sagsbehandling, adfærd og serviceniveau på skole- og dagtilbudsområdet, registreret ensartet i områdeforvaltningerne, holdt op mod baselinen pr. 1. september 2021
          (godkendt af BUU 15. december 2021). Realitetsklager tælles for sig; henvendelser, der ikke er klager, tælles ikke.
        </>
      }
      filters={<PeriodFields idPrefix="complaints" value={period} onChange={setPeriod} errors={invalidFields(reading)} />}
    >
      {(data) => (
        <>
          <BarChart
            title="Klager i perioden og baseline pr. område"
            groups={data.areas.map((a) => ({
              label: a.area,
              bars: [
                { label: 'Klager i perioden', value: a.inPeriod, tone: 0 },
                { label: 'Baseline', value: a.baseline, tone: 2 },
              ],
            }))}
          />
          <table className="table table--zebra">
            <caption>Klager pr. område ({date(data.period.from)} – {lastDay(data.period)}); baseline pr. {date(`${data.baselineDate}T12:00:00Z`)}</caption>
            <thead>
              <tr>
                <th scope="col">Område</th>
                <th scope="col" className="numeric">Klager i perioden</th>
                <th scope="col" className="numeric">Baseline</th>
                <th scope="col" className="numeric">Forskel</th>
                <th scope="col" className="numeric">I forhold til baseline</th>
                <th scope="col" className="numeric">Klager siden baseline</th>
                <th scope="col" className="numeric">Realitetsklager i perioden</th>
              </tr>
            </thead>
            <tbody>
              {data.areas.map((a) => (
                <tr key={a.area}>
                  <th scope="row">{a.area}</th>
                  <td className="numeric">{number(a.inPeriod)}</td>
                  <td className="numeric">{number(a.baseline)}</td>
                  <td className="numeric">{signed(a.differenceFromBaseline)}</td>
                  <td className="numeric">{percent(a.ratioToBaseline)}</td>
                  <td className="numeric">{number(a.sinceBaseline)}</td>
                  <td className="numeric">{number(a.realitetsklagerInPeriod)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">I alt</th>
                <td className="numeric">{number(data.total.inPeriod)}</td>
                <td className="numeric">{number(data.total.baseline)}</td>
                <td className="numeric">–</td>
                <td className="numeric">–</td>
                <td className="numeric">{number(data.total.sinceBaseline)}</td>
                <td className="numeric">{number(data.total.realitetsklagerInPeriod)}</td>
              </tr>
            </tfoot>
          </table>
          <p className="form-hint">„I forhold til baseline“ er periodens antal i procent af områdets baselineantal.</p>
          <HiddenNote hiddenBelow={data.smallCountsHiddenBelow} />
        </>
      )}
    </ReportSection>
  );
}

// ---------------------------------------------------------------------------------------------
// Obligatoriske kurser pr. område og enhed

interface TrainingUnit {
  area: string;
  unit: string;
  course: string;
  courseLabel: string;
  employees: Count;
  completedAndCurrent: Count;
  notYetDue: Count;
  overdue: Count;
}

interface TrainingReport {
  asOf: string;
  units: TrainingUnit[];
  smallCountsHiddenBelow?: number;
}

function Training() {
  const reading = useReport<TrainingReport>('/statistics/training');
  return (
    <ReportSection
      id="training-heading"
      heading="Obligatoriske kurser pr. område og enhed"
      subject="obligatoriske kurser"
      reading={reading}
      intro={
        <>
          Alle medarbejdere, som skal have kurserne i it-sikkerhed og databeskyttelse (inden for 14 dage for administrative og 4 uger for pædagogiske medarbejdere, genopfrisket hvert
          andet år) og i forvaltningsret (inden for det første år): gennemført og gyldigt, endnu ikke forfaldent, eller overskredet.
        </>
      }
    >
      {(data) => (
        <>
          <BarChart
            title="Kursusstatus pr. enhed og kursus"
            groups={data.units.map((u) => ({
              label: `${u.area} · ${u.unit || 'uden enhed'} · ${u.courseLabel}`,
              bars: [
                { label: 'Gennemført og gyldigt', value: u.completedAndCurrent, tone: 1 },
                { label: 'Endnu ikke forfaldent', value: u.notYetDue, tone: 2 },
                { label: 'Overskredet', value: u.overdue, tone: 3 },
              ],
            }))}
          />
          {data.units.length === 0 ? (
            <p>Ingen medarbejdere med obligatoriske kurser.</p>
          ) : (
            <table className="table table--zebra">
              <caption>Obligatoriske kurser pr. {dateTime(data.asOf)}</caption>
              <thead>
                <tr>
                  <th scope="col">Område</th>
                  <th scope="col">Enhed</th>
                  <th scope="col">Kursus</th>
                  <th scope="col" className="numeric">Medarbejdere</th>
                  <th scope="col" className="numeric">Gennemført og gyldigt</th>
                  <th scope="col" className="numeric">Endnu ikke forfaldent</th>
                  <th scope="col" className="numeric">Overskredet</th>
                  <th scope="col" className="numeric">Andel gennemført</th>
                </tr>
              </thead>
              <tbody>
                {data.units.map((u) => (
                  <tr key={`${u.area}|${u.unit}|${u.course}`}>
                    <td>{u.area}</td>
                    <td>{u.unit}</td>
                    <td>{u.courseLabel}</td>
                    <td className="numeric">{number(u.employees)}</td>
                    <td className="numeric">{number(u.completedAndCurrent)}</td>
                    <td className="numeric">{number(u.notYetDue)}</td>
                    <td className="numeric">{number(u.overdue)}</td>
                    <td className="numeric">{typeof u.employees === 'number' && typeof u.completedAndCurrent === 'number' && u.employees > 0 ? percent(u.completedAndCurrent / u.employees) : '–'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <HiddenNote hiddenBelow={data.smallCountsHiddenBelow} />
        </>
      )}
    </ReportSection>
  );
}

// ---------------------------------------------------------------------------------------------
// Aktindsigt: rettidighed

interface AccessReport {
  period: Period;
  received: Count;
  decided: Count;
  due: Count;
  decidedWithinDeadline: Count;
  shareWithinDeadline: number | null;
  smallCountsHiddenBelow?: number;
}

function AccessRequests() {
  const [period, setPeriod] = useState<PeriodValue>({ from: `${copenhagenDay().slice(0, 4)}-01-01`, to: copenhagenDay() });
  const reading = useReport<AccessReport>(`/statistics/access-requests?${periodQuery(period)}`);
  return (
    <ReportSection
      id="access-heading"
      heading="Aktindsigt: afgjort til tiden"
      subject="aktindsigt"
      reading={reading}
      intro={
        <>
          Anmodninger om aktindsigt skal afgøres hurtigst muligt; er de ikke afgjort inden 7 arbejdsdage efter modtagelsen, skal den, der har bedt om aktindsigt, have et fristbrev
          (offentlighedslovens § 36, stk. 2). Andelen til tiden er de anmodninger, der er afgjort inden for 7 arbejdsdage, ud af alle, hvis frist er passeret eller som er afgjort; en
          åben anmodning efter fristen tæller som for sen.
        </>
      }
      filters={<PeriodFields idPrefix="access" value={period} onChange={setPeriod} errors={invalidFields(reading)} />}
    >
      {(data) => (
        <>
          <BarChart
            title="Anmodninger om aktindsigt modtaget i perioden"
            groups={[
              {
                label: 'Anmodninger',
                bars: [
                  { label: 'Modtaget', value: data.received, tone: 0 },
                  { label: 'Frist passeret eller afgjort', value: data.due, tone: 2 },
                  { label: 'Afgjort inden for 7 arbejdsdage', value: data.decidedWithinDeadline, tone: 1 },
                ],
              },
            ]}
          />
          <table className="table table--zebra">
            <caption>Aktindsigt modtaget {date(data.period.from)} – {lastDay(data.period)}</caption>
            <thead>
              <tr>
                <th scope="col" className="numeric">Modtaget</th>
                <th scope="col" className="numeric">Afgjort</th>
                <th scope="col" className="numeric">Frist passeret eller afgjort</th>
                <th scope="col" className="numeric">Afgjort inden for 7 arbejdsdage</th>
                <th scope="col" className="numeric">Andel til tiden</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <td className="numeric">{number(data.received)}</td>
                <td className="numeric">{number(data.decided)}</td>
                <td className="numeric">{number(data.due)}</td>
                <td className="numeric">{number(data.decidedWithinDeadline)}</td>
                <td className="numeric">{percent(data.shareWithinDeadline)}</td>
              </tr>
            </tbody>
          </table>
          <HiddenNote hiddenBelow={data.smallCountsHiddenBelow} />
        </>
      )}
    </ReportSection>
  );
}

// ---------------------------------------------------------------------------------------------
// Hvor venter sagerne

interface WaitingStep {
  step: string;
  area: string;
  ended: { count: Count; medianHours: number | null; p90Hours: number | null };
  waitingNow: { count: Count; longestHours: number | null };
}

interface WaitingReport {
  period: Period;
  asOf: string;
  areas: string[];
  processes: { process: string; steps: WaitingStep[]; smallCountsHiddenBelow?: number }[];
}

function Waiting() {
  const processes = useProcesses();
  const [filter, setFilter] = useState({ process: '', area: '', from: `${copenhagenDay().slice(0, 4)}-01-01`, to: copenhagenDay() });
  const query = new URLSearchParams({ ...(filter.process ? { process: filter.process } : {}), ...(filter.area ? { area: filter.area } : {}) });
  for (const [k, v] of periodQuery(filter)) query.set(k, v);
  const reading = useReport<WaitingReport>(`/statistics/waiting?${query}`);
  const errors = invalidFields(reading);
  return (
    <ReportSection
      id="waiting-heading"
      heading="Hvor venter sagerne"
      subject="ventetider"
      reading={reading}
      intro={
        <>
          Hvor længe sagerne bliver i hvert trin, læst af journalen: et ophold i et trin begynder, når sagen kommer i trinnet, og slutter, når den går videre. For ophold, der er afsluttet i
          perioden: antal, median og 90 %-fraktil (9 ud af 10 ophold var kortere). For sager, der venter i trinnet nu: antal og hvor længe den, der har ventet længst, har ventet. Ophold,
          der begyndte, før journalen registrerede trin, er ikke med.
        </>
      }
      filters={
        <>
          <ProcessFilter id="waiting-process" value={filter.process} processes={processes} onChange={(process) => setFilter({ ...filter, process })} invalid={Boolean(errors.process)} />
          <AreaFilter id="waiting-area" value={filter.area} onChange={(area) => setFilter({ ...filter, area })} />
          <PeriodFields idPrefix="waiting" value={filter} onChange={(p) => setFilter({ ...filter, ...p })} errors={errors} />
        </>
      }
    >
      {(data) => (
        data.processes.map((p) => <WaitingProcess key={p.process} figures={p} process={processes?.find((d) => d.name === p.process)} asOf={data.asOf} period={data.period} />)
      )}
    </ReportSection>
  );
}

function WaitingProcess({ figures, process, asOf, period }: { figures: WaitingReport['processes'][number]; process: ProcessView | undefined; asOf: string; period: Period }) {
  const label = process?.label ?? figures.process;
  const id = `waiting-${figures.process}`;
  return (
    <section aria-labelledby={id} className="waiting-process">
      <h3 id={id}>{label}</h3>
      {figures.steps.length === 0 ? (
        <p>Ingen ophold afsluttet i perioden og ingen sager, der venter.</p>
      ) : (
        <>
          <BarChart
            title={`${label}: median og 90 %-fraktil pr. trin (timer)`}
            unit=" t"
            groups={figures.steps.map((s) => ({
              label: `${stepLabel(process, s.step)} · ${s.area}`,
              bars: [
                { label: 'Median', value: s.ended.medianHours, tone: 0 },
                { label: '90 %-fraktil', value: s.ended.p90Hours, tone: 2 },
              ],
            }))}
          />
          <table className="table table--zebra">
            <caption>
              {label}: ophold afsluttet {date(period.from)} – {lastDay(period)}; venter nu pr. {dateTime(asOf)}
            </caption>
            <thead>
              <tr>
                <th scope="col">Trin</th>
                <th scope="col">Område</th>
                <th scope="col" className="numeric">Afsluttede ophold</th>
                <th scope="col" className="numeric">Median</th>
                <th scope="col" className="numeric">90 %-fraktil</th>
                <th scope="col" className="numeric">Venter nu</th>
                <th scope="col" className="numeric">Længst ventende</th>
              </tr>
            </thead>
            <tbody>
              {figures.steps.map((s) => (
                <tr key={`${s.step}|${s.area}`}>
                  <th scope="row">{stepLabel(process, s.step)}</th>
                  <td>{s.area}</td>
                  <td className="numeric">{number(s.ended.count)}</td>
                  <td className="numeric">{hours(s.ended.medianHours)}</td>
                  <td className="numeric">{hours(s.ended.p90Hours)}</td>
                  <td className="numeric">{number(s.waitingNow.count)}</td>
                  <td className="numeric">{hours(s.waitingNow.longestHours)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <HiddenNote hiddenBelow={figures.smallCountsHiddenBelow} />
    </section>
  );
}
