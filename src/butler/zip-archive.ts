import { type FileHandle, open, rename, rm } from "node:fs/promises";
import { crc32 } from "node:zlib";
import { StorageError } from "../errors.ts";

/** Sizes and offsets at or past this need ZIP64 fields. */
const ZIP32_LIMIT = 0xffffffff;
const UTF8_NAMES = 0x0800;
const UNIX_FILE = 0o100644 << 16;

/** A member written so far: what the central directory needs to say about it. */
interface Member {
  readonly name: Buffer;
  readonly crc: number;
  readonly size: number;
  readonly offset: number;
}

/** Options of {@link createZipArchive}. */
export interface ZipArchiveOptions {
  /** Write ZIP64 fields for every member, not only where sizes or offsets need them (for tests of readers). */
  readonly forceZip64?: boolean;
}

/** A zip file being written member by member; nothing appears at its path until {@link ZipArchive.close}. */
export interface ZipArchive {
  /** Add a member (stored uncompressed) under `name` (a relative `/`-separated path). */
  add(name: string, bytes: Uint8Array): Promise<void>;
  /** Write the central directory and move the finished file to its path. */
  close(): Promise<void>;
  /** Give up: delete the partial file. */
  abort(): Promise<void>;
}

/** DOS date and time fields of a moment (local time, 2-second resolution, 1980 at the earliest). */
function dosDateTime(date: Date): { time: number; date: number } {
  const year = Math.max(date.getFullYear(), 1980);
  return {
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | (date.getSeconds() >> 1),
    date: ((year - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}

/** A ZIP64 extended information extra field with the given 64-bit values. */
function zip64Extra(values: readonly number[]): Buffer {
  const extra = Buffer.alloc(4 + 8 * values.length);
  extra.writeUInt16LE(0x0001, 0);
  extra.writeUInt16LE(8 * values.length, 2);
  for (const [i, value] of values.entries()) extra.writeBigUInt64LE(BigInt(value), 4 + 8 * i);
  return extra;
}

/**
 * Start writing a zip file at `path` (through a temporary file beside it). Members are stored, not
 * compressed, as Python's `zipfile` writes daf_butler's artifact zips by default, so each member can be
 * read in place by a byte range. ZIP64 fields are written where sizes or offsets pass 4 GiB.
 * @throws {StorageError} when the file cannot be written.
 */
export async function createZipArchive(path: string, options: ZipArchiveOptions = {}): Promise<ZipArchive> {
  const temporary = `${path}.${process.pid}.tmp`;
  let file: FileHandle;
  try {
    file = await open(temporary, "w");
  } catch (error) {
    throw new StorageError(`Cannot create ${path}: ${(error as NodeJS.ErrnoException).code}`, path, {
      cause: error,
    });
  }
  const { time, date } = dosDateTime(new Date());
  const members: Member[] = [];
  let offset = 0;
  const write = async (bytes: Uint8Array) => {
    await file.write(bytes);
    offset += bytes.length;
  };
  const needs64 = (value: number) => options.forceZip64 === true || value >= ZIP32_LIMIT;

  return {
    async add(name, bytes) {
      const member = { name: Buffer.from(name, "utf8"), crc: crc32(bytes), size: bytes.length, offset };
      const big = needs64(member.size);
      const extra = big ? zip64Extra([member.size, member.size]) : Buffer.alloc(0);
      const header = Buffer.alloc(30);
      header.writeUInt32LE(0x04034b50, 0);
      header.writeUInt16LE(big ? 45 : 20, 4);
      header.writeUInt16LE(UTF8_NAMES, 6);
      header.writeUInt16LE(0, 8);
      header.writeUInt16LE(time, 10);
      header.writeUInt16LE(date, 12);
      header.writeUInt32LE(member.crc, 14);
      header.writeUInt32LE(big ? ZIP32_LIMIT : member.size, 18);
      header.writeUInt32LE(big ? ZIP32_LIMIT : member.size, 22);
      header.writeUInt16LE(member.name.length, 26);
      header.writeUInt16LE(extra.length, 28);
      await write(Buffer.concat([header, member.name, extra]));
      await write(bytes);
      members.push(member);
    },

    async close() {
      const directoryStart = offset;
      for (const member of members) {
        const values = [
          ...(needs64(member.size) ? [member.size, member.size] : []),
          ...(needs64(member.offset) ? [member.offset] : []),
        ];
        const extra = values.length > 0 ? zip64Extra(values) : Buffer.alloc(0);
        const entry = Buffer.alloc(46);
        entry.writeUInt32LE(0x02014b50, 0);
        entry.writeUInt16LE((3 << 8) | 45, 4);
        entry.writeUInt16LE(values.length > 0 ? 45 : 20, 6);
        entry.writeUInt16LE(UTF8_NAMES, 8);
        entry.writeUInt16LE(0, 10);
        entry.writeUInt16LE(time, 12);
        entry.writeUInt16LE(date, 14);
        entry.writeUInt32LE(member.crc, 16);
        entry.writeUInt32LE(needs64(member.size) ? ZIP32_LIMIT : member.size, 20);
        entry.writeUInt32LE(needs64(member.size) ? ZIP32_LIMIT : member.size, 24);
        entry.writeUInt16LE(member.name.length, 28);
        entry.writeUInt16LE(extra.length, 30);
        entry.writeUInt32LE(UNIX_FILE >>> 0, 38);
        entry.writeUInt32LE(needs64(member.offset) ? ZIP32_LIMIT : member.offset, 42);
        await write(Buffer.concat([entry, member.name, extra]));
      }
      const directorySize = offset - directoryStart;
      const big = needs64(directoryStart) || needs64(directorySize) || members.length >= 0xffff;
      if (big) {
        const record = Buffer.alloc(56);
        record.writeUInt32LE(0x06064b50, 0);
        record.writeBigUInt64LE(44n, 4);
        record.writeUInt16LE((3 << 8) | 45, 12);
        record.writeUInt16LE(45, 14);
        record.writeBigUInt64LE(BigInt(members.length), 24);
        record.writeBigUInt64LE(BigInt(members.length), 32);
        record.writeBigUInt64LE(BigInt(directorySize), 40);
        record.writeBigUInt64LE(BigInt(directoryStart), 48);
        const locator = Buffer.alloc(20);
        locator.writeUInt32LE(0x07064b50, 0);
        locator.writeBigUInt64LE(BigInt(offset), 8);
        locator.writeUInt32LE(1, 16);
        await write(Buffer.concat([record, locator]));
      }
      const end = Buffer.alloc(22);
      end.writeUInt32LE(0x06054b50, 0);
      end.writeUInt16LE(Math.min(members.length, 0xffff), 8);
      end.writeUInt16LE(Math.min(members.length, 0xffff), 10);
      end.writeUInt32LE(big ? ZIP32_LIMIT : directorySize, 12);
      end.writeUInt32LE(big ? ZIP32_LIMIT : directoryStart, 16);
      await write(end);
      await file.close();
      await rename(temporary, path);
    },

    async abort() {
      await file.close().catch(() => {});
      await rm(temporary, { force: true });
    },
  };
}
