package trail

// readme is BACA-SAYA.txt: how to check the trail, in Indonesian, for the
// auditor who opens the ZIP before anything else (PRODUCT.md §5).
const readme = `JEJAK AUDIT USULAN DAK FISIK BIDANG IKM — CARA MEMERIKSA
===========================================================

Berkas ZIP ini adalah jejak audit satu usulan, diekspor dan ditandatangani
oleh server dakflow. Semua isinya dapat diperiksa tanpa server (luring).

ISI ZIP
  documents/*.pdf   setiap dokumen resmi yang diterbitkan, persis seperti disimpan
  events.json       setiap peristiwa: catatan yang di-hash (record), hash
                    sebelumnya (prev_hash) dan hash-nya
  checkpoint.txt    checkpoint log global: ukuran pohon, hash akar dan waktu,
                    ditandatangani server (format "signed note")
  log-proof.json    bukti inklusi setiap peristiwa di log global terhadap
                    checkpoint.txt (pohon Merkle RFC 6962)
  manifest.json     daftar setiap berkas dengan SHA-256 dan ukurannya,
                    serta key_id kunci penandatangan
  manifest.sig      tanda tangan Ed25519 server atas manifest.json (base64)
  public-key.txt    kunci publik yang menandatangani (base64)
  BACA-SAYA.txt     petunjuk ini
Entri lain, atau dua entri bernama sama, berarti ZIP telah diubah.

YANG DIBUKTIKAN
- Setiap berkas sama persis dengan yang dicatat di manifest, dan manifest
  ditandatangani oleh kunci server.
- Peristiwa usulan ini berantai tanpa celah: tidak ada yang diubah, dihapus
  atau disisipkan tanpa memutus rantai hash.
- Setiap peristiwa tercatat di log global yang ditandatangani (checkpoint).
  Jika Anda menyimpan checkpoint sendiri, log itu terbukti tidak ditulis ulang
  sejak checkpoint Anda — juga oleh pengelola basis data.
YANG TIDAK DIBUKTIKAN
- Ini bukan tanda tangan elektronik tersertifikasi (BSrE); itu terpisah.
- Tanda tangan server hanya berarti bila kuncinya Anda pastikan (langkah 1).

LANGKAH PEMERIKSAAN
1. Pastikan kunci server. Simpan daftar kunci dari sumber yang Anda percayai
   (bandingkan key_id dengan yang diumumkan instansi secara resmi):
     curl -o kunci.json https://SERVER/api/v1/keys
2. Simpan checkpoint sendiri dari waktu ke waktu, di luar server (atau ambil
   salinan dari direktori checkpoint atau penerima webhook):
     curl -o checkpoint.txt https://SERVER/api/v1/checkpoints/latest
3. Periksa jejak:
     dakflow verify jejak.zip --keys kunci.json --key-id KEY_ID --checkpoint checkpoint.txt
   atau cukup --public-key KUNCI (base64), atau --checkpoint saja (kunci
   dipastikan oleh checkpoint yang Anda simpan sendiri).
   Kode keluar:
     0  sah, dan penandatangan dipastikan
     3  tanda tangan sah, tetapi kuncinya tidak diperiksa (beri --public-key,
        --keys dengan --key-id, atau --checkpoint)
     1  ada yang tidak cocok; pesan menyebut yang pertama
     2  perintah atau berkas masukan (kunci, checkpoint, bukti) tidak terbaca
4. Bila checkpoint Anda berbeda ukuran dengan checkpoint.txt dan ZIP tidak
   memuat bukti konsistensinya, dakflow verify menyebut alamat bukti yang
   harus diunduh, misalnya:
     curl -o bukti.json 'https://SERVER/api/v1/checkpoints/proof?old=N&new=M'
   lalu ulangi dengan --consistency-proof bukti.json. Cara lain: unduh ulang
   jejak dengan ?consistency_from=N (N = ukuran checkpoint Anda).

PEMERIKSAAN MANUAL (TANPA DAKFLOW)
- SHA-256 setiap berkas (sha256sum) sama dengan manifest.json.
- manifest.sig: tanda tangan Ed25519 atas byte persis manifest.json, dengan
  kunci public-key.txt.
- Hash peristiwa: SHA-256(prev_hash + "\n" + record), dalam heksadesimal;
  prev_hash peristiwa pertama adalah 64 angka nol.
- Daun log: SHA-256(0x00 || hash peristiwa dalam 64 huruf heksadesimal),
  RFC 6962; bukti inklusi dan konsistensi menurut RFC 6962
  (golang.org/x/mod/sumdb/tlog). Teks checkpoint dan tanda tangannya
  mengikuti golang.org/x/mod/sumdb/note; nama kunci "dakflow".
`
