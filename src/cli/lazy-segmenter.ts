/**
 * Intl.Segmenter for the bundled CLI (esbuild --define:Intl.Segmenter=LazySegmenter --inject): yargs' help
 * layout measures every cell with string-width, which builds an ICU segmenter when it is imported and splits
 * each string into graphemes. Constructing it costs ~100 M instructions (a third of `lic-dse --help`'s own
 * work, valgrind --tool=callgrind), though our help text is plain ASCII. Printable ASCII is one grapheme per
 * character, so that case is answered directly; anything else goes to a real segmenter, made on first need.
 */
type Segments = Iterable<{ segment: string; index: number; input: string }>;

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

function* characters(s: string): Generator<{ segment: string; index: number; input: string }> {
  for (let i = 0; i < s.length; i++) yield { segment: s[i], index: i, input: s };
}

export class LazySegmenter {
  private real?: Intl.Segmenter;
  private readonly args: ConstructorParameters<typeof Intl.Segmenter>;

  constructor(...args: ConstructorParameters<typeof Intl.Segmenter>) {
    this.args = args;
  }

  segment(s: string): Segments {
    const wordLike = this.args[1]?.granularity !== undefined && this.args[1].granularity !== 'grapheme';
    if (!wordLike && PRINTABLE_ASCII.test(s)) return characters(s);
    // Through globalThis: the bundle's define rewrites every plain `Intl.Segmenter`, this one included.
    this.real ??= new globalThis.Intl.Segmenter(...this.args);
    return this.real.segment(s);
  }
}
