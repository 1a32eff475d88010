/// <reference lib="dom" />
/**
 * Sada's website survey widget: one script tag on the business's own site.
 *
 *   <script src="https://sada.example.com/widget.js" data-workspace="acme" data-survey="checkout" async></script>
 *
 * Plain browser code with no dependency on the host page: bundled into one IIFE by
 * src/widget/build.ts and served at /widget.js. The card lives in a closed shadow root, so the
 * page's CSS and scripts do not reach inside; every text shown comes from the survey (the
 * server's SurveyView) and is set with textContent only. docs/widget.md lists the attributes.
 */

import type { QuestionView, SurveyView } from '../listening/localize.ts';
import type { responseBody } from '../http/routes/public-responses.ts';

type ResponseBody = ReturnType<typeof responseBody>;
type Answers = Record<string, Record<string, string | number>>;

interface Instance {
  survey: string;
  track(name: string): void;
  open(): void;
}

/** window.sada: the page's handle on every widget it loaded. */
interface SadaApi {
  /** Fires the `event:<name>` trigger of every widget on the page. */
  track(name: string): void;
  /** Names the visitor: sent as `identity`; the server trusts it only with a valid HMAC. */
  identify(id: string, hmac: string): void;
  /** Shows the survey now (or the one named), whatever the triggers, sampling and interval. */
  open(survey?: string): void;
  /** The queue's push, kept working after load: sada.push(['track', 'order_completed']). */
  push(call: unknown): void;
  _w: Instance[];
  _id?: { id: string; hmac: string };
}

declare global {
  interface Window {
    sada?: SadaApi | unknown[];
  }
}

/** The only strings the widget owns; everything else comes from the survey. */
const CHROME: Record<string, [send: string, close: string]> = {
  en: ['Send', 'Close'],
  ar: ['إرسال', 'إغلاق'],
  lt: ['Siųsti', 'Uždaryti'],
};

const CSS = `:host{all:initial!important}
.k{position:fixed;z-index:2147483000;bottom:16px;inset-inline-end:16px;box-sizing:border-box;width:min(360px,calc(100vw - 32px));max-height:calc(100vh - 32px);overflow:auto;padding:16px;background:#fff;color:#1d2330;border:1px solid #c9d1dc;border-radius:12px;box-shadow:0 8px 28px rgba(0,0,0,.2);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans Arabic",Tahoma,sans-serif;text-align:start;letter-spacing:normal;word-spacing:normal;text-transform:none;white-space:normal;visibility:visible}
.k:focus{outline:none}
.t{display:block;margin:0 0 12px;padding-inline-end:28px;font-weight:600;font-size:15px}
.s{display:flex;gap:4px}
button{font:inherit;font-weight:600;color:inherit;cursor:pointer;border:1px solid #5b6b85;border-radius:6px;background:#fff;margin:0}
button:hover{background:#eef2f7}
button:focus-visible,textarea:focus-visible,input:focus-visible{outline:3px solid #b35c00;outline-offset:2px}
.s button{flex:1 1 0;min-width:0;height:36px;padding:0}
.e{display:flex;justify-content:space-between;gap:12px;margin-top:6px;font-size:12px;color:#46526a}
.c{display:flex;flex-direction:column;gap:6px}
.c button{padding:8px 12px;text-align:start;font-weight:400}
textarea{display:block;box-sizing:border-box;width:100%;min-height:72px;margin:0 0 10px;padding:8px;font:inherit;color:inherit;background:#fff;border:1px solid #5b6b85;border-radius:6px;resize:vertical}
.r{display:flex;gap:8px;align-items:flex-start;margin:0 0 10px;font-size:13px}
.g{padding:8px 18px;background:var(--sada-accent,#123c69);border-color:var(--sada-accent,#123c69);color:#fff}
.g:hover{background:var(--sada-accent,#123c69);filter:brightness(1.15)}
.x{position:absolute;top:8px;inset-inline-end:8px;width:28px;height:28px;padding:0;border:0;background:none;font-size:22px;line-height:1;color:#46526a}
.p{margin:0 0 8px}
.t:last-child{margin:0}
.o{margin:0;padding:8px;border:2px dashed var(--sada-accent,#123c69);border-radius:8px;text-align:center;direction:ltr;font:700 18px ui-monospace,Menlo,Consolas,monospace;letter-spacing:.05em;user-select:all}
[aria-busy=true] button{cursor:progress;opacity:.6}`;

const DAY = 86_400_000;

function warn(message: string): void {
  console.warn(`Sada widget: ${message}`);
}

const storage = {
  get(key: string): string | null {
    try {
      return localStorage.getItem(key);
    } catch {
      return null; // storage blocked (private mode, sandboxed frame)
    }
  },
  set(key: string, value: string): void {
    try {
      localStorage.setItem(key, value);
    } catch {
      /* not remembered: decided again on the next page */
    }
  },
};

/** crypto.randomUUID needs a secure context; getRandomValues does not. */
const uuid = (): string =>
  crypto.randomUUID?.() ?? Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An element with text set as text, never as markup. */
function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, text?: string | null): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text) node.textContent = text;
  return node;
}

/** `/regex/flags` or a plain substring of the path. */
function urlMatcher(pattern: string | undefined): () => boolean {
  if (!pattern) return () => true;
  const regex = /^\/(.+)\/([a-z]*)$/.exec(pattern);
  if (regex) {
    try {
      const compiled = new RegExp(regex[1]!, regex[2]);
      return () => compiled.test(location.pathname);
    } catch {
      warn(`data-url-match ${pattern} is not a valid regular expression`);
      return () => false;
    }
  }
  return () => location.pathname.includes(pattern);
}

function whenBody(run: () => void): void {
  if (document.body) run();
  else document.addEventListener('DOMContentLoaded', run, { once: true });
}

function createWidget(script: HTMLScriptElement, api: SadaApi): Instance | undefined {
  const data = script.dataset;
  const survey = data.survey;
  if (!survey) {
    warn('add data-survey="<survey id>" to the script tag');
    return undefined;
  }
  const workspace = data.workspace;
  const base = new URL('api/v1/public/', script.src || location.href).href;
  const key = `sada:${workspace ?? ''}:${survey}:`;
  const matches = urlMatcher(data.urlMatch);
  const events = new Set<string>();
  const cleanups: Array<() => void> = [];
  let armed = false;
  let showing = false;

  // Sampling: one draw per browser, remembered, so a visitor is in or out on every page (and
  // raising the percentage keeps everyone who was in).
  const sample = data.sample === undefined ? 100 : parseFloat(data.sample);
  let draw = parseFloat(storage.get(`${key}draw`) ?? '');
  if (!(draw >= 0 && draw < 100)) {
    draw = Math.random() * 100;
    storage.set(`${key}draw`, String(draw));
  }
  const days = data.days === undefined ? 30 : parseFloat(data.days);
  const shownAt = parseFloat(storage.get(`${key}shown`) ?? '');
  const recentlyShown = shownAt > 0 && Date.now() - shownAt < (Number.isFinite(days) ? days : 30) * DAY;
  if (!Number.isFinite(sample)) warn(`data-sample="${data.sample}" is not a percentage; showing to everyone`);

  function fire(): void {
    if (armed && !showing && matches()) {
      armed = false;
      for (const cleanup of cleanups.splice(0)) cleanup();
      void show();
    }
  }

  if ((!Number.isFinite(sample) || draw < sample) && !recentlyShown) {
    armed = true;
    for (const trigger of (data.trigger || 'load').split(',')) {
      const [kind = '', argument = ''] = trigger.trim().split(/:(.*)/);
      const amount = parseFloat(argument);
      if (kind === 'load') whenBody(fire);
      else if (kind === 'time' && amount >= 0) {
        // Time on the page counts from navigation, not from when this script arrived.
        const timer = setTimeout(() => whenBody(fire), Math.max(0, amount * 1000 - performance.now()));
        cleanups.push(() => clearTimeout(timer));
      } else if (kind === 'scroll' && amount >= 0) {
        const onScroll = () => {
          const root = document.documentElement;
          if (((scrollY + innerHeight) / root.scrollHeight) * 100 >= amount) fire();
        };
        addEventListener('scroll', onScroll, { passive: true });
        cleanups.push(() => removeEventListener('scroll', onScroll));
      } else if (kind === 'exit') {
        // The pointer leaves through the top of the window (towards the tabs and the back button).
        const onOut = (event: MouseEvent) => {
          if (!event.relatedTarget && event.clientY <= 0) fire();
        };
        document.addEventListener('mouseout', onOut);
        cleanups.push(() => document.removeEventListener('mouseout', onOut));
      } else if (kind === 'event' && argument) events.add(argument);
      else warn(`unknown data-trigger "${trigger}"`);
    }
  }

  async function show(): Promise<void> {
    showing = true;
    const query = new URLSearchParams({ lang: data.lang || navigator.languages?.[0] || navigator.language || '' });
    if (workspace) query.set('workspace', workspace);
    let view: SurveyView;
    try {
      const response = await fetch(`${base}surveys/${encodeURIComponent(survey!)}?${query}`, { credentials: 'omit' });
      if (!response.ok) throw new Error(`${response.status} ${((await response.json().catch(() => ({}))) as { message?: string }).message ?? ''}`);
      view = (await response.json()) as SurveyView;
    } catch (error) {
      warn(`survey "${survey}" not shown: ${(error as Error).message}`);
      showing = false;
      return;
    }
    if (view.access !== 'public') {
      warn(`survey "${survey}" is answered through personal links only`);
      showing = false;
      return;
    }
    storage.set(`${key}shown`, String(Date.now()));
    whenBody(() => render(view));
  }

  function render(view: SurveyView): void {
    const [sendLabel, closeLabel] = CHROME[view.language.split('-')[0]!] ?? CHROME.en!;
    const host = document.createElement('sada-widget');
    const root = host.attachShadow({ mode: 'closed' });
    const card = el('div', { class: 'k', role: 'dialog', 'aria-labelledby': 't', dir: view.dir, lang: view.language, tabindex: '-1' });
    const body = el('div', { 'aria-live': 'polite' });
    const close = el('button', { class: 'x', type: 'button', 'aria-label': closeLabel }, '×');
    card.append(body, close);
    root.append(card);
    try {
      // A constructed sheet is not inline CSS: it works under a host page's strict style-src.
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    } catch {
      root.prepend(el('style', {}, CSS)); // browsers before constructable stylesheets
    }

    const idempotencyKey = uuid(); // one per display: a retried POST makes one response
    let responseId: string | undefined;
    let busy = false;
    const before = document.activeElement as HTMLElement | null;

    function dismiss(): void {
      host.remove();
      showing = false;
      if (before?.isConnected) before.focus({ preventScroll: true });
    }
    close.addEventListener('click', dismiss);
    card.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.stopPropagation();
        dismiss();
      }
    });

    /** Sends answers: the first time as a new response (POST), then as more answers (PATCH). */
    async function send(answers: Answers, complete: boolean, extra: Record<string, unknown> = {}): Promise<ResponseBody | undefined> {
      if (busy) return undefined;
      busy = true;
      card.setAttribute('aria-busy', 'true');
      const first = responseId === undefined;
      const payload = first
        ? { workspace, survey, language: view.language, answers, complete, page: (location.origin + location.pathname).slice(0, 2000), ...(api._id ? { identity: api._id } : {}), ...extra }
        : { workspace, survey, answers, complete, ...extra };
      try {
        for (let attempt = 0; ; attempt++) {
          let response: Response | undefined;
          try {
            response = await fetch(first ? `${base}responses` : `${base}responses/${encodeURIComponent(responseId!)}`, {
              method: first ? 'POST' : 'PATCH',
              headers: first ? { 'Content-Type': 'application/json', 'Idempotency-Key': idempotencyKey } : { 'Content-Type': 'application/json' },
              body: JSON.stringify(payload),
              credentials: 'omit',
              keepalive: true, // the answer arrives even if the visitor navigates away
            });
          } catch {
            /* offline or blocked: retried below */
          }
          if (response?.ok) {
            const state = (await response.json()) as ResponseBody;
            responseId = state.id;
            return state;
          }
          if (response && response.status !== 429 && response.status < 500) {
            // Refused for good (closed, full, answered already): nothing the visitor can do here.
            warn(((await response.json().catch(() => ({}))) as { message?: string }).message ?? `answer refused (${response.status})`);
            dismiss();
            return undefined;
          }
          if (attempt >= 2) return undefined; // the buttons stay for another try
          await sleep(Math.min(30, Number(response?.headers.get('retry-after')) || 2 * 2 ** attempt) * 1000);
        }
      } finally {
        busy = false;
        card.removeAttribute('aria-busy');
      }
    }

    function step(title: HTMLElement, ...rest: HTMLElement[]): void {
      title.id = 't';
      title.classList.add('t');
      body.replaceChildren(title, ...rest);
    }

    /** A text box under a title; Send stores it (or nothing, if left empty). */
    function writeStep(title: string, onSend: (text: string, consent: boolean) => void, required: boolean, consentText: string | null): void {
      const box = el('textarea', { id: 'a', maxlength: '5000', rows: '3' });
      const parts: HTMLElement[] = [box];
      const consent = el('input', { type: 'checkbox', id: 'v' });
      if (consentText) {
        const row = el('label', { class: 'r', for: 'v' });
        row.append(consent, el('span', {}, consentText));
        parts.push(row);
      }
      const button = el('button', { class: 'g', type: 'button' }, sendLabel);
      button.addEventListener('click', () => {
        const text = box.value.trim();
        if (required && !text) box.focus();
        else onSend(text, consent.checked);
      });
      step(el('label', { for: 'a' }, title), ...parts, button);
      box.focus();
    }

    function thank(state: ResponseBody): void {
      if (!state.thankYou && !state.incentive) return dismiss();
      const parts: HTMLElement[] = [];
      if (state.incentive) parts.push(el('p', { class: 'p' }, state.incentive.text), el('p', { class: 'o' }, state.incentive.code));
      step(el('p', {}, state.thankYou ?? ''), ...parts);
      card.focus({ preventScroll: true });
    }

    /** Asks question `index`; each answer is stored as soon as it is given. */
    function ask(index: number): void {
      const question: QuestionView | undefined = view.questions[index];
      const last = index >= view.questions.length - 1;
      const after = (state: ResponseBody | undefined) => {
        if (!state) return;
        if (state.completed) thank(state);
        else if (last) void send({}, true).then(after);
        else ask(index + 1);
      };
      if (!question) return;

      if (question.scale) {
        const { min, max, lowLabel, highLabel } = question.scale;
        const scale = el('div', { class: 's', role: 'group', 'aria-labelledby': 't' });
        for (let score = min; score <= max; score++) {
          const button = el('button', { type: 'button', ...(score === min && lowLabel ? { 'aria-describedby': 'l' } : score === max && highLabel ? { 'aria-describedby': 'h' } : {}) }, String(score));
          button.addEventListener('click', () =>
            // The score first (a visitor who stops here still counted), the comment after it.
            void send({ [question.id]: { score } }, last && !question.followUp).then((state) => {
              const followUp = state?.followUp[question.id];
              if (!state || state.completed || !followUp) return after(state);
              writeStep(
                followUp,
                (comment, consent) =>
                  comment || last ? void send(comment ? { [question.id]: { comment } } : {}, last, view.reviewConsent ? { reviewConsent: consent } : {}).then(after) : ask(index + 1),
                false,
                view.reviewConsent,
              );
            }),
          );
          scale.append(button);
        }
        const ends = el('div', { class: 'e', 'aria-hidden': 'true' });
        ends.append(el('span', { id: 'l' }, lowLabel), el('span', { id: 'h' }, highLabel));
        step(el('p', {}, question.text), scale, ...(lowLabel || highLabel ? [ends] : []));
      } else if (question.choices) {
        const choices = el('div', { class: 'c', role: 'group', 'aria-labelledby': 't' });
        for (const choice of question.choices) {
          const button = el('button', { type: 'button' }, choice.text);
          button.addEventListener('click', () => void send({ [question.id]: { choice: choice.id } }, last).then(after));
          choices.append(button);
        }
        step(el('p', {}, question.text), choices);
      } else {
        writeStep(question.text, (text) => (text || last ? void send(text ? { [question.id]: { text } } : {}, last).then(after) : ask(index + 1)), question.required, null);
      }
    }

    ask(0);
    document.body.append(host);
    card.focus({ preventScroll: true });
  }

  return {
    survey,
    track(name) {
      if (events.has(name)) fire();
    },
    open() {
      if (!showing) {
        armed = false;
        for (const cleanup of cleanups.splice(0)) cleanup();
        void show();
      }
    },
  };
}

(() => {
  const script = (document.currentScript ?? document.querySelector('script[data-survey][src*="widget.js"]')) as HTMLScriptElement | null;
  if (!script) return warn('cannot find its own <script> tag');
  // Calls made before the script arrived (window.sada = [['track', 'x']]) are replayed.
  const queued: unknown[] = Array.isArray(window.sada) ? window.sada : [];
  let api = window.sada as SadaApi | undefined;
  if (!api || Array.isArray(api)) {
    const widgets: Instance[] = [];
    const created: SadaApi = {
      _w: widgets,
      track: (name) => widgets.forEach((w) => w.track(String(name))),
      identify: (id, hmac) => void (created._id = { id: String(id), hmac: String(hmac) }),
      open: (survey) => widgets.forEach((w) => (survey === undefined || w.survey === survey) && w.open()),
      push(call) {
        const [method, ...args] = (Array.isArray(call) ? call : []) as unknown[];
        if (method === 'track' || method === 'identify' || method === 'open') (created[method] as (...a: unknown[]) => void)(...args);
      },
    };
    api = window.sada = created;
  }
  const widget = createWidget(script, api);
  if (widget) api._w.push(widget);
  for (const call of queued) api.push(call);
})();
