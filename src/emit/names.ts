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

/** One name as an identifier (not deduplicated). */
export function cIdent(name: string, prefix = 'l'): string {
  let s = name.replace(/[^A-Za-z0-9_]/g, '_').replace(/_+/g, '_').replace(/^_+/, '').replace(/_+$/, '');
  if (!s) s = prefix;
  if (/^[0-9]/.test(s)) s = `${prefix}_${s}`;
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
