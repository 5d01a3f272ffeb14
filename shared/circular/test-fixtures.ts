/**
 * Sample data for the circular unit tests (pure, so it compiles under shared/'s rules).
 */
import type { OrgUnit } from '../org/types';
import type { Circular, EncryptedFile } from './types';

/** A fixed circular id (UUID v4). */
export const SAMPLE_CIRCULAR_ID = '0b6f3c2e-8d4a-4f7e-9a51-2c3d4e5f6a7b';

/** 2025-06-01 09:00 Beijing time. */
export const ISSUED_AT = Date.UTC(2025, 5, 1, 1, 0);
/** 2025-06-03 18:00 Beijing time. */
export const DEADLINE = Date.UTC(2025, 5, 3, 10, 0);

/** A well-formed encrypted file reference. */
export function sampleFile(): EncryptedFile {
  return {
    url: 'mxc://gov.example.cn/AbCdEf123_-',
    key: {
      kty: 'oct',
      key_ops: ['encrypt', 'decrypt'],
      alg: 'A256CTR',
      k: 'qcHVMSgYg-71CauWBezXI5qkaRb0LuIy-Wx5kIaHMIA',
      ext: true,
    },
    iv: 'X85+XgHN+HEAAAAAAAAAAA',
    hashes: { sha256: '8s2rWpbN7MxY3Oe/Efk4ZDrNOtffxPSXYmFJqrmm5iY' },
    v: 'v2',
  };
}

/** A well-formed circular requiring acknowledgment by {@link DEADLINE}. */
export function sampleCircular(overrides: Partial<Circular> = {}): Circular {
  return {
    id: SAMPLE_CIRCULAR_ID,
    title: '关于做好防汛工作的通知',
    docNumber: '示府办〔2025〕12号',
    issuingUnit: { code: '330000', name: '示范省人民政府办公厅' },
    urgency: 'extra_urgent',
    issuedAt: ISSUED_AT,
    ackDeadline: DEADLINE,
    ackRequired: true,
    attachments: [
      { name: '防汛工作方案.pdf', mimetype: 'application/pdf', size: 102_400, file: sampleFile() },
    ],
    targets: [{ unitCode: '330100', scope: 'level', level: 'county' }],
    noForward: true,
    body: '各市、县人民政府：\n\n为做好今年防汛工作，现将有关事项通知如下。\n一、提高思想认识。',
    ...overrides,
  };
}

/**
 * A small province: 示范省 (330000) with cities 杭州 330100 and 宁波 330200; counties under each;
 * a department under 330100; a township under 330102.
 */
export const SAMPLE_UNITS: readonly OrgUnit[] = [
  { code: '330000', name: '示范省', level: 'province' },
  { code: '330200', name: '宁波市', level: 'city', parentCode: '330000' },
  { code: '330100', name: '杭州市', level: 'city', parentCode: '330000' },
  { code: '330102', name: '上城区', level: 'county', parentCode: '330100' },
  { code: '330101', name: '市辖区', level: 'county', parentCode: '330100' },
  { code: '330100-edu', name: '杭州市教育局', level: 'department', parentCode: '330100' },
  { code: '330201', name: '海曙区', level: 'county', parentCode: '330200' },
  { code: '330102001', name: '清波街道', level: 'township', parentCode: '330102' },
];
