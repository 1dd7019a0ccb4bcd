// Apart from options.ts, whose other options read the zoo and the boards: `lic-dse models` needs only these.
export const jsonOpt = { type: 'boolean', default: false, describe: 'print JSON on stdout instead of text' } as const;
export const wideOpt = { type: 'boolean', default: false, describe: 'do not shorten wide columns to fit 120 characters' } as const;
