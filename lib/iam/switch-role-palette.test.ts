import { describe, expect, it } from 'vitest';
import {
  CONSOLE_SWITCH_ROLE_COLORS,
  normalizeSwitchRoleColor,
  PREVIOUS_SWITCH_ROLE_COLORS,
  SWITCH_ROLE_COLOR_NAMES,
} from '@/lib/iam/switch-role-palette';

describe('the switch-role palette', () => {
  // The console's Switch Role page accepts exactly these `color` values since its 2024 redesign:
  // an AWS re:Post answer reviewed by AWS experts lists them, checked on 27 August 2024
  // (https://repost.aws/questions/QU2dDHOT34RH6LJYIrHLUJrw/switch-role-link-query-parameters):
  // Red f2b0a9, Orange fbc8aa, Yellow efda95, Green b7ca9d, Blue 83d4e8. The same page notes that
  // earlier values (Rolesmith had FBBF93, FAD791 and 99BCE3) are no longer accepted, which a
  // Japanese write-up of the redesign also reports (techblog.techfirm.co.jp/entry/aws-switch-role-url).
  // AWS does not document the parameter; when the console changes again, change this table, add
  // the old values to PREVIOUS_SWITCH_ROLE_COLORS and write a migration like 202612071800.
  it("is the console's five colours, in the console's order, with its names", () => {
    expect(CONSOLE_SWITCH_ROLE_COLORS.map((hex) => [SWITCH_ROLE_COLOR_NAMES[hex], hex])).toEqual([
      ['Red', 'F2B0A9'],
      ['Orange', 'FBC8AA'],
      ['Yellow', 'EFDA95'],
      ['Green', 'B7CA9D'],
      ['Blue', '83D4E8'],
    ]);
  });

  it.each([
    ['FBBF93', 'FBC8AA'],
    ['#fad791', 'EFDA95'],
    ['99bce3', '83D4E8'],
    ['f2b0a9', 'F2B0A9'],
    ['#ABCDEF', 'ABCDEF'],
  ])('normalizes %s to %s', (input, expected) => {
    expect(normalizeSwitchRoleColor(input)).toBe(expected);
  });

  it("maps every earlier colour into today's palette, and none of today's", () => {
    for (const [earlier, current] of Object.entries(PREVIOUS_SWITCH_ROLE_COLORS)) {
      expect(CONSOLE_SWITCH_ROLE_COLORS).toContain(current);
      expect(CONSOLE_SWITCH_ROLE_COLORS).not.toContain(earlier);
    }
  });
});
