/** "prod, db ,, web" → ["prod", "db", "web"], duplicates dropped, order kept. */
export function parseTags(text: string): string[] {
  return [
    ...new Set(
      text
        .split(',')
        .map((t) => t.trim())
        .filter((t) => t.length > 0),
    ),
  ];
}
