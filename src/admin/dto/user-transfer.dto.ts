export class RefusedLineDto {
  /** The line's number in the file, from 1 (blank lines count). */
  line!: number;
  /** Why it was refused; never echoes the line. */
  reason!: string;
}

export class ImportReportDto {
  /** Users created. */
  created!: number;
  /** Lines whose email already had an account: nothing was changed. */
  skipped!: number;
  /** Of those created, the users without a password who were mailed an invitation. */
  invited!: number;
  /** How many lines were refused (each wrote nothing). */
  refusedCount!: number;
  /** The refused lines, the first 1000. */
  refused!: RefusedLineDto[];
}
