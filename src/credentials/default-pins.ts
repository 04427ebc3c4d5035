// R-PIN-DEFAULT: the codes an attacker tries first on a voicemail or DISA prompt. A PIN in this list is refused with
// PIN_DEFAULT. Kept in code (not in data/) because it is small, exported as a constant and reviewed line by line.

/**
 * Known default and trivial PINs, each group with where it comes from. Many are also caught by another rule
 * (1234 is a run, 1111 repeats a digit); they are listed anyway so that PIN_DEFAULT names them as what they are.
 */
// prettier-ignore
export const DEFAULT_PINS: readonly string[] = Object.freeze([
  // The 20 most frequent 4-digit PINs in DataGenetics' "PIN number analysis" (Nick Berry, 2012), from 3.4 million
  // leaked codes; together they cover about a quarter of all PINs.
  '1234', '1111', '0000', '1212', '7777', '1004', '2000', '4444', '2222', '6969',
  '9999', '3333', '5555', '6666', '1122', '1313', '8888', '4321', '2001', '1010',
  // Shapes on the phone keypad: a column (2580, 0852), the edges, the diagonals, odd and even digits.
  '2580', '0852', '1470', '0741', '3690', '0963', '1590', '0951', '7410', '9630',
  '1379', '9731', '1397', '7931', '1357', '2468', '7531', '8642', '1478', '3698',
  // Asterisk's voicemail.conf.sample (configs/samples): mailbox 1234 with code 4242, "Company2 User" with 5678, and the
  // commented examples 9855, 3456, 6522, 1099, 3443 that installers uncomment as they are.
  '4242', '5678', '9855', '3456', '6522', '1099', '3443',
  // FreeSWITCH vanilla configuration: default_password=1234 in vars.xml, vm-password equal to the user's number for
  // users 1000 to 1019 (directory/default/1000.xml …), and 9999 for the user "brian".
  '1000', '1001', '1002', '1003', '1005', '1006', '1007', '1008', '1009', '1011',
  '1012', '1013', '1014', '1015', '1016', '1017', '1018', '1019',
  // Trivial 5- to 8-digit codes, the numeric entries at the top of public lists of common passwords (SecLists
  // "10k most common", NCSC "PwnedPasswordsTop100k").
  '12345', '54321', '11111', '00000', '55555', '123456', '654321', '111111', '000000', '121212',
  '123123', '112233', '159753', '696969', '666666', '999999', '888888', '777777', '555555', '222222',
  '333333', '444444', '123321', '147258', '258369', '102030', '789456', '101010', '131313', '123654',
  '1234567', '7777777', '12345678', '87654321', '11111111', '00000000', '12341234', '11223344', '123456789',
]);
