// Secret masking: every registered value is replaced by *** wherever it appears in text that
// leaves the program (log lines, child process output, error messages).

const MASK = '***';

export class Masker {
  private secrets: string[] = [];

  /** Registers a value; a multi-line value is masked whole and line by line. */
  add(value: string): void {
    const parts = [value, ...value.split(/\r?\n/)].filter((p) => p.trim() !== '');
    for (const p of parts) if (!this.secrets.includes(p)) this.secrets.push(p);
    // Longest first, so a secret that contains another is replaced whole.
    this.secrets.sort((a, b) => b.length - a.length);
  }

  get size(): number {
    return this.secrets.length;
  }

  mask(text: string): string {
    let out = text;
    for (const s of this.secrets) if (out.includes(s)) out = out.split(s).join(MASK);
    return out;
  }
}

/**
 * Masks a byte stream line by line, so a secret split across two chunks is still found.
 * Text is held back only until the next line break (`\n` or `\r`), then written.
 */
export class MaskingLineWriter {
  private pending = '';

  constructor(
    private readonly masker: Masker,
    private readonly write: (text: string) => void,
  ) {}

  push(chunk: string): void {
    const text = this.pending + chunk;
    const cut = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
    if (cut < 0) {
      this.pending = text;
      return;
    }
    this.pending = text.slice(cut + 1);
    this.write(this.masker.mask(text.slice(0, cut + 1)));
  }

  flush(): void {
    if (this.pending) this.write(this.masker.mask(this.pending));
    this.pending = '';
  }
}
