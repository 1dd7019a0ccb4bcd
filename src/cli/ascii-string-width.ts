/**
 * string-width for the bundled CLI (esbuild --alias:string-width, package.json build). yargs measures every
 * word of its help with string-width, which runs several Unicode regular expressions per character: 140 M
 * instructions of `lic-dse --help` (valgrind --tool=callgrind), for help text that is plain ASCII. A string of
 * printable ASCII is as wide as it is long (no ANSI escape, control, combining mark, wide or emoji character
 * can be in it); anything else is measured by string-width itself. The relative path escapes the alias: the
 * bundle is built in the package folder (npm run build / prepare), where npm ci put string-width.
 */
import stringWidth from '../../node_modules/string-width/index.js';

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

export default function asciiFirstStringWidth(s: string, options?: Parameters<typeof stringWidth>[1]): number {
  if (typeof s === 'string' && PRINTABLE_ASCII.test(s)) return s.length;
  return stringWidth(s, options);
}
