/**
 * What Joi's own messages say, in Indonesian, by error type and from the error's context, so that
 * every field a request gets wrong is explained in both languages ("'year' must be less than or
 * equal to 2100 / 'year' harus kurang dari atau sama dengan 2100"), as the service's own messages
 * are. Schemas that write their own bilingual message (.messages() in validate.ts and the routes)
 * keep it.
 */
export interface JoiContext {
  label?: string;
  key?: string | number;
  limit?: unknown;
  valids?: unknown[];
  peers?: unknown[];
}

const list = (values: unknown[] | undefined) => (values ?? []).map((v) => (v === null ? 'null' : v === '' ? "''" : String(v))).join(', ');
const limit = (value: unknown) => (value instanceof Date ? value.toISOString() : String(value));

const INDONESIAN: Record<string, (label: string, c: JoiContext) => string> = {
  'any.required': (l) => `${l} wajib diisi`,
  'any.only': (l, c) => `${l} harus salah satu dari [${list(c.valids)}]`,
  'any.invalid': (l) => `${l} berisi nilai yang tidak diizinkan`,
  'any.unknown': (l) => `${l} tidak diizinkan`,
  'object.unknown': (l) => `${l} tidak diizinkan`,
  'object.base': (l) => `${l} harus berupa objek`,
  'object.missing': (l, c) => `${l} harus berisi setidaknya salah satu dari [${list(c.peers)}]`,
  'object.xor': (l, c) => `${l} hanya boleh berisi salah satu dari [${list(c.peers)}]`,
  'string.base': (l) => `${l} harus berupa teks`,
  'string.empty': (l) => `${l} tidak boleh kosong`,
  'string.min': (l, c) => `${l} minimal ${limit(c.limit)} karakter`,
  'string.max': (l, c) => `${l} maksimal ${limit(c.limit)} karakter`,
  'string.length': (l, c) => `${l} harus tepat ${limit(c.limit)} karakter`,
  'string.hex': (l) => `${l} hanya boleh berisi karakter heksadesimal`,
  'string.email': (l) => `${l} harus berupa alamat e-mail yang benar`,
  'string.guid': (l) => `${l} harus berupa GUID yang benar`,
  'string.uri': (l) => `${l} harus berupa URI yang benar`,
  'string.isoDate': (l) => `${l} harus berupa tanggal ISO 8601`,
  'string.pattern.base': (l) => `${l} tidak sesuai dengan format yang diminta`,
  'string.pattern.name': (l) => `${l} tidak sesuai dengan format yang diminta`,
  'string.alphanum': (l) => `${l} hanya boleh berisi huruf dan angka`,
  'number.base': (l) => `${l} harus berupa angka`,
  'number.integer': (l) => `${l} harus berupa bilangan bulat`,
  'number.min': (l, c) => `${l} harus lebih besar dari atau sama dengan ${limit(c.limit)}`,
  'number.max': (l, c) => `${l} harus kurang dari atau sama dengan ${limit(c.limit)}`,
  'number.greater': (l, c) => `${l} harus lebih besar dari ${limit(c.limit)}`,
  'number.less': (l, c) => `${l} harus kurang dari ${limit(c.limit)}`,
  'number.positive': (l) => `${l} harus berupa angka positif`,
  'number.unsafe': (l) => `${l} terlalu besar untuk disimpan dengan tepat`,
  'boolean.base': (l) => `${l} harus berupa true atau false`,
  'array.base': (l) => `${l} harus berupa daftar (array)`,
  'array.min': (l, c) => `${l} harus berisi setidaknya ${limit(c.limit)} butir`,
  'array.max': (l, c) => `${l} paling banyak berisi ${limit(c.limit)} butir`,
  'array.length': (l, c) => `${l} harus berisi tepat ${limit(c.limit)} butir`,
  'array.unique': (l) => `${l} berisi butir yang sama lebih dari sekali`,
  'date.base': (l) => `${l} harus berupa tanggal yang benar`,
  'date.format': (l) => `${l} harus berupa tanggal ISO 8601`,
  'date.min': (l, c) => `${l} tidak boleh sebelum ${limit(c.limit)}`,
  'date.max': (l, c) => `${l} tidak boleh setelah ${limit(c.limit)}`,
  'alternatives.match': (l) => `${l} tidak sesuai dengan satu pun bentuk yang diizinkan`,
  'alternatives.any': (l) => `${l} tidak sesuai dengan satu pun bentuk yang diizinkan`,
  'alternatives.types': (l) => `${l} tidak sesuai dengan satu pun bentuk yang diizinkan`,
};

/** Joi's English message with its Indonesian after " / ", unless the schema already wrote both. */
export function bilingualJoiMessage(english: string, type: string, context: JoiContext | undefined): string {
  if (english.includes(' / ')) return english;
  const c = context ?? {};
  const label = `'${c.label ?? c.key ?? 'value'}'`;
  const indonesian = INDONESIAN[type]?.(label, c) ?? `${label} tidak valid`;
  return `${english} / ${indonesian}`;
}
