import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The console's switch-role palette changed in 2024 (orange, yellow and blue; red and green
 * stayed), and its sign-in page accepts only today's values, so a target account storing an
 * earlier one would produce links without a colour. Each earlier colour becomes today's colour
 * of the same name. Any other stored value (none can be saved through the portal) is kept as it
 * is: the link builder leaves an unknown colour out, as before. The values are written here, not
 * imported, because a released migration must not change when today's code does.
 */
const earlierToCurrent: readonly (readonly [string, string])[] = [
  ['FBBF93', 'FBC8AA'], // orange
  ['FAD791', 'EFDA95'], // yellow
  ['99BCE3', '83D4E8'], // blue
];

export const switchRolePaletteMigration: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema types
  async up(db: Kysely<any>): Promise<void> {
    for (const [earlier, current] of earlierToCurrent) {
      await sql`update target_accounts set color = ${current}, updated_at = now() where upper(color) = ${earlier}`.execute(
        db,
      );
    }
  },
};
