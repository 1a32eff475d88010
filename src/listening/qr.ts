import QRCode from 'qrcode';

/**
 * A survey link as a QR code for print (a till, a receipt, a table card): an SVG that scales to
 * any size, black modules on white with the standard 4-module quiet zone, error correction M
 * (15% of the code may be damaged or dirty and it still scans).
 */
export function qrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
}
