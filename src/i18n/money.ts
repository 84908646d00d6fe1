/** Money as citizens read it: the bus speaks rials, people speak tomans (docs/bus.md#service-catalogue). */

const GROUPED = new Intl.NumberFormat('fa-IR');

/** Rials in, `۱۲۳٬۰۰۰ تومان` out: Persian digits with thousands separators. */
export function formatTomans(rials: number): string {
  return `${GROUPED.format(rials / 10)} تومان`;
}
