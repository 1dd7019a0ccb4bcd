/**
 * Names in an emitted project come from model and layer names, which are free text in a model file. Every one
 * becomes a C++ identifier (letters, digits, single underscores; never a leading digit or underscore, never a
 * keyword), unique within its list, so it is also a safe file name: no separator, no "..", nothing that could
 * leave the output folder.
 */

const CPP_KEYWORDS = new Set((
  'alignas alignof and and_eq asm auto bitand bitor bool break case catch char char16_t char32_t char8_t class compl '
  + 'concept const consteval constexpr constinit const_cast continue co_await co_return co_yield decltype default delete do '
  + 'double dynamic_cast else enum explicit export extern false float for friend goto if inline int long mutable namespace '
  + 'new noexcept not not_eq nullptr operator or or_eq private protected public register reinterpret_cast requires return '
  + 'short signed sizeof static static_assert static_cast struct switch template this thread_local throw true try typedef '
  + 'typeid typename union unsigned using virtual void volatile wchar_t while xor xor_eq main'
).split(' '));

/** Longest identifier kept as is; longer ones keep a prefix and a hash of the whole name (file names stay short). */
export const MAX_IDENT = 48;

/** FNV-1a over UTF-16 units: a stable 8-hex-digit tag (not for security, only to keep shortened names apart). */
function hash8(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/** One name as an identifier (not deduplicated). */
export function cIdent(name: string, prefix = 'l'): string {
  let s = name.replace(/[^A-Za-z0-9_]/g, '_').replace(/_+/g, '_').replace(/^_+/, '').replace(/_+$/, '');
  if (!s) s = prefix;
  if (/^[0-9]/.test(s)) s = `${prefix}_${s}`;
  if (s.length > MAX_IDENT) s = `${s.slice(0, MAX_IDENT - 9).replace(/_+$/, '')}_${hash8(name)}`;
  if (CPP_KEYWORDS.has(s)) s = `${s}_`;
  return s;
}

/** A list of names as distinct identifiers, in order: later collisions get _2, _3, ... */
export function uniqueIdents(names: string[], prefix = 'l'): string[] {
  const used = new Set<string>();
  return names.map((n) => {
    const base = cIdent(n, prefix);
    let s = base;
    for (let k = 2; used.has(s.toLowerCase()); k++) s = `${base}_${k}`;
    used.add(s.toLowerCase());
    return s;
  });
}
