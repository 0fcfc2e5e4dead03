package main

// Where the demo registry's sentra lie and what they make (seed_sentra.go):
// kabupaten/kota in all 38 provinces with a point near their capital, the
// goods each is known for, and a few sentra known by their desa. The
// points were written by hand from the capitals' positions and moved a
// little inland where the map's simplified coast would put them at sea;
// TestDemoPlaces holds every one to the map's land and every code to the
// Kemendagri list.

// demoGood is a product line of a sentra: the words in its name
// ("Sentra IKM Tenun Ikat Prailiu") and its commodity.
type demoGood struct{ product, commodity string }

var demoGoods = map[string]demoGood{
	"tenun_ikat":    {"Tenun Ikat", "Kain tenun ikat"},
	"songket":       {"Tenun Songket", "Kain songket"},
	"ulos":          {"Tenun Ulos", "Kain ulos"},
	"sarung":        {"Sarung Tenun", "Sarung tenun"},
	"sutra":         {"Tenun Sutra", "Kain sutra"},
	"batik":         {"Batik", "Batik tulis dan cap"},
	"besurek":       {"Batik Besurek", "Batik besurek"},
	"sasirangan":    {"Sasirangan", "Kain sasirangan"},
	"bordir":        {"Bordir", "Bordir dan sulaman"},
	"karawo":        {"Sulaman Karawo", "Sulaman karawo"},
	"rotan":         {"Anyaman Rotan", "Anyaman dan mebel rotan"},
	"bambu":         {"Anyaman Bambu", "Anyaman bambu"},
	"pandan":        {"Anyaman Pandan", "Anyaman pandan dan mendong"},
	"purun":         {"Anyaman Purun", "Anyaman purun"},
	"noken":         {"Noken", "Noken dan anyaman serat kayu"},
	"perak":         {"Kerajinan Perak", "Kerajinan perak"},
	"kopi":          {"Pengolahan Kopi", "Kopi bubuk dan biji sangrai"},
	"tahu":          {"Tahu Tempe", "Tahu dan tempe"},
	"ikan":          {"Pengolahan Ikan", "Ikan asin, abon dan kerupuk ikan"},
	"gerabah":       {"Gerabah", "Gerabah dan keramik hias"},
	"furnitur":      {"Furnitur Kayu", "Furnitur kayu"},
	"ukir":          {"Ukiran Kayu", "Ukiran dan patung kayu"},
	"logam":         {"Pengecoran Logam", "Komponen logam cor"},
	"pandai_besi":   {"Pandai Besi", "Alat pertanian dan perkakas besi"},
	"kulit":         {"Kerajinan Kulit", "Tas, sepatu dan jaket kulit"},
	"keripik":       {"Keripik Pisang", "Keripik pisang"},
	"aren":          {"Gula Aren", "Gula aren cetak dan gula semut"},
	"kakao":         {"Pengolahan Kakao", "Bubuk dan pasta kakao"},
	"sagu":          {"Pengolahan Sagu", "Tepung dan olahan sagu"},
	"pala":          {"Olahan Pala", "Manisan, sirup dan minyak pala"},
	"mete":          {"Pengolahan Jambu Mete", "Kacang mete"},
	"kelapa":        {"Olahan Kelapa", "Minyak kelapa dan kopra putih"},
	"perahu":        {"Perahu Kayu", "Perahu dan kapal kayu"},
	"konveksi":      {"Konveksi", "Pakaian jadi"},
	"kue":           {"Kue dan Roti", "Kue kering, roti dan makanan ringan"},
	"kerupuk":       {"Kerupuk", "Kerupuk dan kemplang"},
	"dodol":         {"Dodol", "Dodol dan makanan khas daerah"},
	"batu":          {"Batu Permata", "Gosok batu permata dan perhiasan"},
	"teh":           {"Pengolahan Teh", "Teh hijau dan teh hitam"},
	"rumput_laut":   {"Olahan Rumput Laut", "Dodol dan keripik rumput laut"},
	"atsiri":        {"Minyak Atsiri", "Minyak nilam, serai wangi dan kayu putih"},
	"marmer":        {"Kerajinan Marmer", "Kerajinan batu marmer"},
	"keramik":       {"Keramik", "Keramik hias dan gerabah halus"},
	"kulit_kayu":    {"Lukisan Kulit Kayu", "Lukisan dan kerajinan kulit kayu"},
	"sepatu":        {"Sepatu", "Sepatu dan sandal"},
	"lada":          {"Pengolahan Lada", "Lada putih dan lada hitam"},
	"kayu_manis":    {"Kayu Manis", "Kayu manis olahan"},
	"mebel_rotan":   {"Mebel Rotan", "Mebel rotan"},
	"kapal_logam":   {"Komponen Kapal", "Komponen kapal dan pengecoran logam"},
	"pewter":        {"Kerajinan Pewter", "Kerajinan pewter"},
	"madu":          {"Madu Hutan", "Madu hutan kemasan"},
	"tenun_gedogan": {"Tenun Gedogan", "Kain tenun gedogan"},
	"kerawang":      {"Kerawang Gayo", "Sulaman kerawang Gayo"},
	"garam":         {"Garam", "Garam konsumsi beryodium"},
}

// demoGeneric are the goods of any kabupaten/kota beyond its own; a place
// on the coast adds fish.
var demoGeneric = []string{"tahu", "konveksi", "kue", "furnitur", "bambu", "pandai_besi", "kerupuk"}

// demoPlace is a kabupaten/kota of the demo registry: a point near its
// capital (town) and the goods it is known for, its own first.
type demoPlace struct {
	code, town string
	lat, lon   float64
	coast      bool
	goods      []string
}

var demoPlaces = []demoPlace{
	// Aceh
	{"11.71", "Banda Aceh", 5.54, 95.33, true, []string{"bordir", "kue"}},
	{"11.04", "Takengon", 4.62, 96.85, false, []string{"kopi", "kerawang"}},
	{"11.11", "Bireuen", 5.19, 96.69, true, []string{"kue", "pandai_besi"}},
	{"11.73", "Lhokseumawe", 5.16, 97.12, true, []string{"ikan", "bordir"}},
	// Sumatera Utara
	{"12.71", "Medan", 3.59, 98.67, false, []string{"sepatu", "konveksi", "logam"}},
	{"12.12", "Balige", 2.33, 99.06, false, []string{"ulos", "kopi"}},
	{"12.17", "Pangururan", 2.60, 98.72, false, []string{"ulos", "ukir"}},
	{"12.06", "Kabanjahe", 3.10, 98.49, false, []string{"kopi", "tenun_ikat"}},
	{"12.02", "Tarutung", 2.02, 98.97, false, []string{"ulos", "kopi"}},
	// Sumatera Barat
	{"13.71", "Padang", -0.92, 100.39, true, []string{"bordir", "ikan", "kue"}},
	{"13.75", "Bukittinggi", -0.30, 100.37, false, []string{"bordir", "konveksi"}},
	{"13.04", "Batusangkar", -0.46, 100.59, false, []string{"songket", "kopi"}},
	{"13.73", "Sawahlunto", -0.68, 100.78, false, []string{"songket", "logam"}},
	{"13.76", "Payakumbuh", -0.22, 100.63, false, []string{"kue", "rotan"}},
	// Riau
	{"14.71", "Pekanbaru", 0.51, 101.45, false, []string{"songket", "kue"}},
	{"14.08", "Siak Sri Indrapura", 0.80, 102.05, false, []string{"songket", "sagu"}},
	{"14.01", "Bangkinang", 0.33, 101.03, false, []string{"ikan", "rotan"}},
	{"14.03", "Bengkalis", 1.51, 102.17, true, []string{"sagu", "ikan"}},
	// Jambi
	{"15.71", "Jambi", -1.61, 103.61, false, []string{"batik", "kue"}},
	{"15.01", "Kerinci", -1.85, 101.35, false, []string{"kayu_manis", "teh", "kopi"}},
	{"15.05", "Sengeti", -1.55, 103.45, false, []string{"batik", "rotan"}},
	// Sumatera Selatan
	{"16.71", "Palembang", -2.98, 104.76, false, []string{"songket", "kerupuk", "ikan"}},
	{"16.02", "Kayu Agung", -3.39, 104.83, false, []string{"purun", "gerabah"}},
	{"16.04", "Lahat", -3.79, 103.54, false, []string{"kopi", "pandai_besi"}},
	{"16.72", "Pagar Alam", -4.02, 103.25, false, []string{"kopi", "teh"}},
	// Bengkulu
	{"17.71", "Bengkulu", -3.80, 102.30, true, []string{"besurek", "ikan"}},
	{"17.02", "Curup", -3.47, 102.52, false, []string{"kopi", "aren"}},
	{"17.08", "Kepahiang", -3.65, 102.58, false, []string{"kopi"}},
	// Lampung
	{"18.71", "Bandar Lampung", -5.40, 105.27, true, []string{"keripik", "tenun_ikat", "kopi"}},
	{"18.72", "Metro", -5.11, 105.31, false, []string{"tahu", "kue"}},
	{"18.04", "Liwa", -5.04, 104.07, false, []string{"kopi"}},
	{"18.10", "Pringsewu", -5.36, 104.98, false, []string{"bambu", "tahu"}},
	{"18.06", "Kota Agung", -5.45, 104.65, true, []string{"kakao", "ikan"}},
	// Kepulauan Bangka Belitung
	{"19.71", "Pangkal Pinang", -2.13, 106.10, true, []string{"ikan", "kue"}},
	{"19.05", "Muntok", -2.05, 105.20, true, []string{"pewter", "lada"}},
	{"19.02", "Tanjung Pandan", -2.75, 107.68, true, []string{"ikan", "batu"}},
	{"19.01", "Sungailiat", -1.87, 106.08, true, []string{"lada", "ikan"}},
	// Kepulauan Riau
	{"21.71", "Batam", 1.08, 104.03, true, []string{"konveksi", "logam", "ikan"}},
	{"21.72", "Tanjung Pinang", 0.92, 104.49, true, []string{"ikan", "kue"}},
	{"21.01", "Bintan", 1.08, 104.48, true, []string{"ikan", "rumput_laut"}},
	{"21.02", "Tanjung Balai Karimun", 1.05, 103.40, true, []string{"ikan"}},
	// DKI Jakarta
	{"31.75", "Jakarta Timur", -6.23, 106.90, false, []string{"konveksi", "logam", "sepatu"}},
	{"31.74", "Jakarta Selatan", -6.27, 106.81, false, []string{"batik", "kue"}},
	{"31.73", "Jakarta Barat", -6.17, 106.76, false, []string{"konveksi", "furnitur"}},
	// Jawa Barat
	{"32.73", "Bandung", -6.91, 107.61, false, []string{"konveksi", "sepatu", "kulit"}},
	{"32.05", "Garut", -7.21, 107.90, false, []string{"kulit", "dodol", "atsiri"}},
	{"32.06", "Singaparna", -7.35, 108.11, false, []string{"pandan", "bambu"}},
	{"32.78", "Tasikmalaya", -7.33, 108.22, false, []string{"bordir", "batik"}},
	{"32.09", "Sumber", -6.76, 108.48, false, []string{"batik", "rotan", "mebel_rotan"}},
	{"32.14", "Purwakarta", -6.56, 107.44, false, []string{"keramik", "gerabah"}},
	{"32.01", "Cibinong", -6.48, 106.85, false, []string{"sepatu", "logam"}},
	// Jawa Tengah
	{"33.20", "Jepara", -6.60, 110.70, false, []string{"furnitur", "ukir", "tenun_ikat"}},
	{"33.75", "Pekalongan", -6.89, 109.67, false, []string{"batik", "konveksi"}},
	{"33.72", "Surakarta", -7.57, 110.82, false, []string{"batik", "konveksi"}},
	{"33.19", "Kudus", -6.80, 110.84, false, []string{"bordir", "konveksi"}},
	{"33.10", "Klaten", -7.71, 110.60, false, []string{"logam", "gerabah", "tenun_ikat"}},
	{"33.04", "Banjarnegara", -7.40, 109.69, false, []string{"keramik", "aren"}},
	{"33.02", "Purwokerto", -7.42, 109.23, false, []string{"batik", "aren"}},
	{"33.28", "Slawi", -6.98, 109.14, false, []string{"logam", "teh"}},
	// DI Yogyakarta
	{"34.02", "Bantul", -7.89, 110.33, false, []string{"gerabah", "kulit", "batik"}},
	{"34.04", "Sleman", -7.72, 110.36, false, []string{"bambu", "kulit"}},
	{"34.71", "Yogyakarta", -7.80, 110.37, false, []string{"perak", "batik"}},
	{"34.03", "Wonosari", -7.97, 110.60, false, []string{"ukir", "bambu"}},
	// Jawa Timur
	{"35.75", "Pasuruan", -7.66, 112.90, false, []string{"furnitur", "kapal_logam"}},
	{"35.14", "Bangil", -7.60, 112.78, false, []string{"bordir", "furnitur"}},
	{"35.15", "Sidoarjo", -7.45, 112.72, false, []string{"kulit", "kerupuk"}},
	{"35.28", "Pamekasan", -7.16, 113.48, false, []string{"batik", "garam"}},
	{"35.29", "Sumenep", -7.01, 113.86, false, []string{"batik", "ukir"}},
	{"35.10", "Banyuwangi", -8.22, 114.33, true, []string{"batik", "ikan", "kopi"}},
	{"35.04", "Tulungagung", -8.07, 111.90, false, []string{"marmer", "konveksi"}},
	{"35.73", "Malang", -7.98, 112.63, false, []string{"keripik", "keramik"}},
	{"35.09", "Jember", -8.17, 113.70, false, []string{"kopi", "tahu"}},
	// Banten
	{"36.73", "Serang", -6.12, 106.15, false, []string{"batik", "pandai_besi"}},
	{"36.02", "Rangkasbitung", -6.36, 106.25, false, []string{"aren", "tenun_gedogan"}},
	{"36.01", "Pandeglang", -6.31, 106.10, false, []string{"aren", "bambu"}},
	{"36.03", "Tigaraksa", -6.26, 106.48, false, []string{"sepatu", "konveksi"}},
	// Bali
	{"51.04", "Gianyar", -8.54, 115.33, false, []string{"perak", "ukir"}},
	{"51.71", "Denpasar", -8.65, 115.22, false, []string{"konveksi", "perak"}},
	{"51.05", "Semarapura", -8.54, 115.40, false, []string{"songket", "ukir"}},
	{"51.07", "Amlapura", -8.45, 115.61, false, []string{"tenun_ikat", "bambu"}},
	{"51.08", "Singaraja", -8.14, 115.09, true, []string{"tenun_ikat", "kopi"}},
	// Nusa Tenggara Barat
	{"52.71", "Mataram", -8.58, 116.12, false, []string{"perak", "ikan"}},
	{"52.02", "Praya", -8.71, 116.27, false, []string{"songket", "gerabah"}},
	{"52.01", "Gerung", -8.67, 116.12, false, []string{"gerabah", "ukir"}},
	{"52.03", "Selong", -8.65, 116.53, false, []string{"tenun_ikat", "pandan"}},
	{"52.04", "Sumbawa Besar", -8.52, 117.43, true, []string{"madu", "ikan"}},
	{"52.06", "Woha", -8.60, 118.72, false, []string{"tenun_ikat", "madu"}},
	// Nusa Tenggara Timur
	{"53.71", "Kupang", -10.21, 123.65, true, []string{"tenun_ikat", "ikan"}},
	{"53.08", "Ende", -8.83, 121.68, true, []string{"tenun_ikat", "kopi"}},
	{"53.07", "Maumere", -8.63, 122.22, true, []string{"tenun_ikat", "kakao"}},
	{"53.11", "Waingapu", -9.67, 120.27, true, []string{"tenun_ikat", "rumput_laut"}},
	{"53.02", "Soe", -9.86, 124.28, false, []string{"tenun_ikat", "madu"}},
	{"53.10", "Ruteng", -8.61, 120.46, false, []string{"kopi", "tenun_ikat"}},
	// Kalimantan Barat
	{"61.71", "Pontianak", -0.03, 109.33, false, []string{"kue", "songket"}},
	{"61.01", "Sambas", 1.36, 109.30, false, []string{"songket"}},
	{"61.72", "Singkawang", 0.91, 109.00, true, []string{"keramik", "kue"}},
	{"61.03", "Sanggau", 0.12, 110.60, false, []string{"rotan", "aren"}},
	{"61.05", "Sintang", 0.07, 111.50, false, []string{"tenun_ikat", "rotan"}},
	// Kalimantan Tengah
	{"62.71", "Palangka Raya", -2.21, 113.92, false, []string{"rotan", "batu"}},
	{"62.02", "Sampit", -2.54, 112.95, false, []string{"rotan", "ikan"}},
	{"62.03", "Kuala Kapuas", -3.00, 114.38, false, []string{"rotan", "purun"}},
	{"62.01", "Pangkalan Bun", -2.68, 111.62, false, []string{"ukir", "ikan"}},
	// Kalimantan Selatan
	{"63.71", "Banjarmasin", -3.32, 114.59, false, []string{"sasirangan", "kue"}},
	{"63.03", "Martapura", -3.41, 114.85, false, []string{"batu", "perak"}},
	{"63.06", "Kandangan", -2.78, 115.27, false, []string{"dodol", "pandai_besi"}},
	{"63.08", "Amuntai", -2.42, 115.25, false, []string{"purun", "rotan"}},
	{"63.72", "Banjarbaru", -3.44, 114.83, false, []string{"batu", "sasirangan"}},
	// Kalimantan Timur
	{"64.72", "Samarinda", -0.50, 117.15, false, []string{"sarung", "ukir"}},
	{"64.71", "Balikpapan", -1.18, 116.88, true, []string{"ikan", "batu"}},
	{"64.02", "Tenggarong", -0.42, 116.99, false, []string{"ukir", "rotan"}},
	{"64.03", "Tanjung Redeb", 2.15, 117.49, true, []string{"ikan", "madu"}},
	// Kalimantan Utara
	{"65.71", "Tarakan", 3.32, 117.60, true, []string{"ikan", "rumput_laut"}},
	{"65.01", "Tanjung Selor", 2.84, 117.37, false, []string{"ukir", "rotan"}},
	{"65.02", "Malinau", 3.58, 116.64, false, []string{"rotan", "ukir"}},
	// Sulawesi Utara
	{"71.71", "Manado", 1.48, 124.86, true, []string{"ikan", "kue"}},
	{"71.73", "Tomohon", 1.32, 124.84, false, []string{"ukir", "aren"}},
	{"71.02", "Tondano", 1.30, 124.91, false, []string{"kelapa", "ikan"}},
	{"71.72", "Bitung", 1.46, 125.15, true, []string{"ikan", "kelapa"}},
	{"71.74", "Kotamobagu", 0.73, 124.32, false, []string{"kopi", "aren"}},
	// Sulawesi Tengah
	{"72.71", "Palu", -0.90, 119.87, false, []string{"tenun_ikat", "kelapa"}},
	{"72.10", "Sigi Biromaru", -1.03, 119.94, false, []string{"kakao", "tenun_ikat"}},
	{"72.02", "Poso", -1.39, 120.75, false, []string{"kakao", "ukir"}},
	{"72.01", "Luwuk", -0.94, 122.78, true, []string{"ikan", "kelapa"}},
	{"72.08", "Parigi", -0.80, 120.17, false, []string{"kakao", "kelapa"}},
	// Sulawesi Selatan
	{"73.71", "Makassar", -5.15, 119.45, false, []string{"perak", "ikan", "sutra"}},
	{"73.13", "Sengkang", -4.13, 120.03, false, []string{"sutra"}},
	{"73.08", "Watampone", -4.54, 120.33, false, []string{"sutra", "aren"}},
	{"73.18", "Makale", -3.10, 119.85, false, []string{"kopi", "tenun_ikat"}},
	{"73.26", "Rantepao", -2.97, 119.90, false, []string{"tenun_ikat", "ukir", "kopi"}},
	{"73.02", "Bulukumba", -5.55, 120.20, true, []string{"perahu", "sutra"}},
	{"73.73", "Palopo", -3.00, 120.19, false, []string{"kakao", "sagu"}},
	// Sulawesi Tenggara
	{"74.71", "Kendari", -4.00, 122.50, true, []string{"perak", "ikan"}},
	{"74.02", "Unaaha", -3.85, 122.05, false, []string{"kakao", "sagu"}},
	{"74.05", "Andoolo", -4.33, 122.33, false, []string{"mete", "tahu"}},
	{"74.03", "Raha", -4.84, 122.72, true, []string{"tenun_ikat", "mete"}},
	{"74.72", "Bau-Bau", -5.47, 122.63, true, []string{"tenun_ikat", "mete"}},
	{"74.01", "Kolaka", -4.05, 121.61, false, []string{"kakao", "ikan"}},
	// Gorontalo
	{"75.71", "Gorontalo", 0.54, 123.06, false, []string{"karawo", "kue"}},
	{"75.01", "Limboto", 0.62, 122.97, false, []string{"karawo", "aren"}},
	{"75.03", "Suwawa", 0.53, 123.17, false, []string{"aren", "kelapa"}},
	// Sulawesi Barat
	{"76.02", "Mamuju", -2.69, 118.91, true, []string{"kakao", "ikan"}},
	{"76.04", "Polewali", -3.41, 119.33, false, []string{"sutra", "kakao"}},
	{"76.05", "Majene", -3.53, 118.99, true, []string{"sutra", "ikan"}},
	{"76.03", "Mamasa", -2.94, 119.37, false, []string{"tenun_ikat", "kopi"}},
	// Maluku
	{"81.71", "Ambon", -3.68, 128.20, true, []string{"ikan", "atsiri", "pala"}},
	{"81.01", "Masohi", -3.28, 129.00, true, []string{"sagu", "pala"}},
	{"81.04", "Namlea", -3.28, 127.08, true, []string{"atsiri", "ikan"}},
	// Maluku Utara
	{"82.71", "Ternate", 0.79, 127.36, true, []string{"pala", "ikan"}},
	{"82.72", "Tidore", 0.68, 127.42, true, []string{"pala", "gerabah"}},
	{"82.01", "Jailolo", 1.08, 127.50, true, []string{"kelapa", "pala"}},
	{"82.03", "Tobelo", 1.72, 127.98, true, []string{"kelapa", "ikan"}},
	// Papua
	{"91.71", "Jayapura", -2.56, 140.67, true, []string{"ikan", "noken"}},
	{"91.03", "Sentani", -2.57, 140.51, false, []string{"kulit_kayu", "noken", "sagu"}},
	{"91.06", "Biak", -1.17, 136.05, true, []string{"ukir", "ikan"}},
	{"91.11", "Arso", -2.93, 140.78, false, []string{"kakao", "sagu"}},
	// Papua Barat
	{"92.02", "Manokwari", -0.87, 134.05, true, []string{"kakao", "noken"}},
	{"92.03", "Fakfak", -2.92, 132.32, true, []string{"pala"}},
	{"92.08", "Kaimana", -3.61, 133.79, true, []string{"pala", "ikan"}},
	// Papua Selatan
	{"93.01", "Merauke", -8.47, 140.43, true, []string{"sagu", "ikan"}},
	{"93.02", "Tanah Merah", -6.10, 140.30, false, []string{"sagu", "noken"}},
	{"93.04", "Agats", -5.52, 138.16, true, []string{"ukir", "noken"}},
	// Papua Tengah
	{"94.06", "Moanemani", -4.02, 135.95, false, []string{"kopi", "noken"}},
	{"94.01", "Nabire", -3.38, 135.50, true, []string{"ikan", "kakao"}},
	{"94.03", "Enarotali", -3.92, 136.37, false, []string{"kopi", "noken"}},
	{"94.04", "Timika", -4.55, 136.89, false, []string{"ukir", "sagu"}},
	// Papua Pegunungan
	{"95.01", "Wamena", -4.10, 138.95, false, []string{"kopi", "noken"}},
	{"95.03", "Dekai", -4.86, 139.48, false, []string{"noken", "sagu"}},
	// Papua Barat Daya
	{"96.71", "Sorong", -0.88, 131.29, true, []string{"ikan", "sagu"}},
	{"96.03", "Waisai", -0.41, 130.83, true, []string{"ikan", "noken"}},
	{"96.02", "Teminabuan", -1.44, 132.02, false, []string{"sagu", "noken"}},
}

// demoKnownSentra are sentra known by their desa, registered as the first
// of their kabupaten/kota: songket of Pandai Sikek and Silungkang, the
// silver of Celuk and Kotagede, the pottery of Kasongan (Bangunjiwo),
// Plered (Anjun), Bayat (Melikan) and Banyumulek, and so on.
var demoKnownSentra = []struct{ village, good string }{
	{"13.04.01.2008", "songket"},    // Pandai Sikek, Tanah Datar
	{"13.73.03.2002", "songket"},    // Silungkang Oso, Sawahlunto
	{"51.04.01.2005", "perak"},      // Celuk, Gianyar
	{"51.04.05.2002", "ukir"},       // Mas, Ubud
	{"51.07.03.2006", "tenun_ikat"}, // Tenganan, Karangasem
	{"34.71.14.1002", "perak"},      // Prenggan, Kotagede
	{"34.02.16.2001", "gerabah"},    // Bangunjiwo (Kasongan), Bantul
	{"34.02.08.2005", "kulit"},      // Sabdodadi (Manding), Bantul
	{"32.14.04.2009", "keramik"},    // Anjun, Plered, Purwakarta
	{"32.09.36.2004", "batik"},      // Trusmi Wetan, Cirebon
	{"32.09.19.2009", "rotan"},      // Tegalwangi, Weru, Cirebon
	{"32.05.01.1001", "kulit"},      // Kota Kulon (Sukaregang), Garut
	{"33.20.11.2012", "furnitur"},   // Tahunan, Jepara
	{"33.72.01.1002", "batik"},      // Laweyan, Surakarta
	{"33.75.02.1004", "batik"},      // Kauman, Pekalongan
	{"33.10.11.2012", "logam"},      // Ceper, Klaten
	{"33.10.03.2006", "gerabah"},    // Melikan, Wedi, Klaten
	{"35.15.06.2016", "kulit"},      // Kedensari, Tanggulangin
	{"52.02.02.2010", "songket"},    // Sukarara, Lombok Tengah
	{"52.01.02.2006", "gerabah"},    // Banyumulek, Lombok Barat
	{"52.03.12.2002", "tenun_ikat"}, // Pringgasela, Lombok Timur
	{"53.11.16.1002", "tenun_ikat"}, // Prailiu, Sumba Timur
	{"63.71.05.1007", "sasirangan"}, // Seberang Mesjid, Banjarmasin
	{"73.13.08.2008", "sutra"},      // Pakkana, Wajo
	{"73.02.03.1004", "perahu"},     // Tanah Beru, Bulukumba
	{"73.26.06.1002", "tenun_ikat"}, // Sa'dan Malimbong, Toraja Utara
	{"75.01.10.2002", "karawo"},     // Ulapato A, Gorontalo
	{"91.03.02.2004", "kulit_kayu"}, // Asei Besar, Jayapura
}
