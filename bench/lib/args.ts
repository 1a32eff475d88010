/** Minimal `--name value` / `--flag` parsing for the benches, with environment fallbacks. */
export class BenchArgs {
  readonly #values = new Map<string, string | true>();

  constructor(argv: readonly string[] = process.argv.slice(2)) {
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i]!;
      if (!arg.startsWith('--')) throw new Error(`unexpected argument "${arg}" (flags look like --rows 200000)`);
      const eq = arg.indexOf('=');
      if (eq > 0) {
        this.#values.set(arg.slice(2, eq), arg.slice(eq + 1));
      } else if (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) {
        this.#values.set(arg.slice(2), argv[++i]!);
      } else {
        this.#values.set(arg.slice(2), true);
      }
    }
  }

  string(name: string, env: string | undefined, fallback: string): string {
    const value = this.#values.get(name);
    if (typeof value === 'string') return value;
    return (env && process.env[env]) || fallback;
  }

  /** A positive whole number; accepts 1_000_000, 1e6, 200k and 1m. */
  count(name: string, env: string | undefined, fallback: number): number {
    const text = this.string(name, env, String(fallback)).replaceAll('_', '').toLowerCase();
    const scaled = text.endsWith('k') ? Number(text.slice(0, -1)) * 1e3 : text.endsWith('m') ? Number(text.slice(0, -1)) * 1e6 : Number(text);
    if (!Number.isSafeInteger(scaled) || scaled < 1) throw new Error(`--${name} must be a positive whole number, not "${text}"`);
    return scaled;
  }

  flag(name: string, env?: string): boolean {
    if (this.#values.get(name) === true || this.#values.get(name) === 'true') return true;
    return env !== undefined && ['1', 'true', 'yes'].includes((process.env[env] ?? '').toLowerCase());
  }

  list(name: string, env: string | undefined, fallback: readonly string[], allowed: readonly string[]): string[] {
    const text = this.string(name, env, fallback.join(','));
    const items = text.split(',').map((s) => s.trim()).filter(Boolean);
    for (const item of items) {
      if (!allowed.includes(item)) throw new Error(`--${name}: "${item}" is not one of ${allowed.join(', ')}`);
    }
    return items;
  }
}
