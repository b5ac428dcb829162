package sandbox

// city is one rate center the seeded inventory draws numbers from: real NPAs
// of the state, an upper-case locality as CarrierX shows it, approximate
// coordinates (for "nearby") and a LATA code ("" = null).
type city struct {
	state, locality string
	lat, lng        float64
	lata            string
	weight          int
	npas            []string
}

var cities = []city{
	{"NY", "NEW YORK", 40.7128, -74.0060, "132", 8, []string{"212", "646", "917", "718", "347", "929"}},
	{"NY", "HEMPSTEAD", 40.7062, -73.6187, "132", 3, []string{"516"}},
	{"NY", "ISLIP", 40.7298, -73.2104, "132", 2, []string{"631"}},
	{"NY", "WHITE PLAINS", 41.0340, -73.7629, "132", 2, []string{"914"}},
	{"NY", "BUFFALO", 42.8864, -78.8784, "136", 2, []string{"716"}},
	{"NY", "ROCHESTER", 43.1566, -77.6088, "134", 2, []string{"585"}},
	{"NY", "ALBANY", 42.6526, -73.7562, "140", 2, []string{"518"}},
	{"NY", "SYRACUSE", 43.0481, -76.1474, "138", 1, []string{"315"}},
	{"CA", "LOS ANGELES", 34.0522, -118.2437, "730", 8, []string{"213", "310", "323", "818", "626"}},
	{"CA", "SAN FRANCISCO", 37.7749, -122.4194, "722", 4, []string{"415", "628"}},
	{"CA", "SAN DIEGO", 32.7157, -117.1611, "732", 4, []string{"619", "858"}},
	{"CA", "SAN JOSE", 37.3382, -121.8863, "722", 3, []string{"408", "669"}},
	{"CA", "SACRAMENTO", 38.5816, -121.4944, "726", 2, []string{"916"}},
	{"CA", "FRESNO", 36.7378, -119.7871, "729", 1, []string{"559"}},
	{"CA", "OAKLAND", 37.8044, -122.2712, "722", 2, []string{"510"}},
	{"CA", "IRVINE", 33.6846, -117.8265, "730", 2, []string{"949", "714"}},
	{"CA", "RIVERSIDE", 33.9806, -117.3755, "730", 1, []string{"951", "909"}},
	{"TX", "HOUSTON", 29.7604, -95.3698, "560", 6, []string{"713", "281", "832"}},
	{"TX", "DALLAS", 32.7767, -96.7970, "552", 6, []string{"214", "469", "972"}},
	{"TX", "AUSTIN", 30.2672, -97.7431, "558", 3, []string{"512", "737"}},
	{"TX", "SAN ANTONIO", 29.4241, -98.4936, "566", 3, []string{"210"}},
	{"TX", "FORT WORTH", 32.7555, -97.3308, "552", 2, []string{"817"}},
	{"TX", "EL PASO", 31.7619, -106.4850, "540", 1, []string{"915"}},
	{"FL", "MIAMI", 25.7617, -80.1918, "460", 5, []string{"305", "786"}},
	{"FL", "ORLANDO", 28.5383, -81.3792, "458", 3, []string{"407", "321"}},
	{"FL", "TAMPA", 27.9506, -82.4572, "952", 3, []string{"813"}},
	{"FL", "JACKSONVILLE", 30.3322, -81.6557, "452", 2, []string{"904"}},
	{"FL", "FORT LAUDERDALE", 26.1224, -80.1373, "460", 2, []string{"954"}},
	{"FL", "WEST PALM BEACH", 26.7153, -80.0534, "460", 1, []string{"561"}},
	{"FL", "TALLAHASSEE", 30.4383, -84.2807, "448", 1, []string{"850"}},
	{"IL", "CHICAGO", 41.8781, -87.6298, "358", 6, []string{"312", "773", "872"}},
	{"IL", "NAPERVILLE", 41.7508, -88.1535, "358", 2, []string{"630", "331"}},
	{"IL", "EVANSTON", 42.0451, -87.6877, "358", 1, []string{"847", "224"}},
	{"IL", "PEORIA", 40.6936, -89.5890, "360", 1, []string{"309"}},
	{"IL", "SPRINGFIELD", 39.7817, -89.6501, "362", 1, []string{"217"}},
	{"PA", "PHILADELPHIA", 39.9526, -75.1652, "228", 4, []string{"215", "267"}},
	{"PA", "PITTSBURGH", 40.4406, -79.9959, "234", 3, []string{"412"}},
	{"PA", "ALLENTOWN", 40.6023, -75.4714, "230", 1, []string{"610", "484"}},
	{"PA", "HARRISBURG", 40.2732, -76.8867, "226", 1, []string{"717"}},
	{"OH", "COLUMBUS", 39.9612, -82.9988, "324", 3, []string{"614"}},
	{"OH", "CLEVELAND", 41.4993, -81.6944, "320", 3, []string{"216", "440"}},
	{"OH", "CINCINNATI", 39.1031, -84.5120, "922", 2, []string{"513"}},
	{"OH", "TOLEDO", 41.6528, -83.5379, "325", 1, []string{"419"}},
	{"OH", "AKRON", 41.0814, -81.5190, "322", 1, []string{"330"}},
	{"GA", "ATLANTA", 33.7490, -84.3880, "438", 5, []string{"404", "470", "678", "770"}},
	{"GA", "SAVANNAH", 32.0809, -81.0912, "448", 1, []string{"912"}},
	{"GA", "AUGUSTA", 33.4735, -82.0105, "440", 1, []string{"706"}},
	{"NC", "CHARLOTTE", 35.2271, -80.8431, "422", 3, []string{"704", "980"}},
	{"NC", "RALEIGH", 35.7796, -78.6382, "426", 2, []string{"919", "984"}},
	{"NC", "GREENSBORO", 36.0726, -79.7920, "424", 1, []string{"336"}},
	{"MI", "DETROIT", 42.3314, -83.0458, "340", 3, []string{"313", "248", "734"}},
	{"MI", "GRAND RAPIDS", 42.9634, -85.6681, "348", 1, []string{"616"}},
	{"MI", "LANSING", 42.7325, -84.5555, "346", 1, []string{"517"}},
	{"NJ", "NEWARK", 40.7357, -74.1724, "224", 3, []string{"973", "862"}},
	{"NJ", "JERSEY CITY", 40.7178, -74.0431, "224", 2, []string{"201", "551"}},
	{"NJ", "TRENTON", 40.2206, -74.7597, "222", 1, []string{"609"}},
	{"NJ", "NEW BRUNSWICK", 40.4862, -74.4518, "224", 2, []string{"732", "848"}},
	{"VA", "RICHMOND", 37.5407, -77.4360, "248", 2, []string{"804"}},
	{"VA", "VIRGINIA BEACH", 36.8529, -75.9780, "252", 2, []string{"757"}},
	{"VA", "ARLINGTON", 38.8816, -77.0910, "236", 3, []string{"703", "571"}},
	{"WA", "SEATTLE", 47.6062, -122.3321, "674", 4, []string{"206", "425"}},
	{"WA", "TACOMA", 47.2529, -122.4443, "674", 1, []string{"253"}},
	{"WA", "SPOKANE", 47.6588, -117.4260, "676", 1, []string{"509"}},
	{"MA", "BOSTON", 42.3601, -71.0589, "128", 4, []string{"617", "857", "781"}},
	{"MA", "WORCESTER", 42.2626, -71.8023, "126", 1, []string{"508", "774"}},
	{"MA", "SPRINGFIELD", 42.1015, -72.5898, "126", 1, []string{"413"}},
	{"AZ", "PHOENIX", 33.4484, -112.0740, "666", 4, []string{"602", "480", "623"}},
	{"AZ", "TUCSON", 32.2226, -110.9747, "668", 1, []string{"520"}},
	{"CO", "DENVER", 39.7392, -104.9903, "656", 4, []string{"303", "720"}},
	{"CO", "COLORADO SPRINGS", 38.8339, -104.8214, "656", 1, []string{"719"}},
	{"TN", "NASHVILLE", 36.1627, -86.7816, "474", 3, []string{"615", "629"}},
	{"TN", "MEMPHIS", 35.1495, -90.0490, "468", 2, []string{"901"}},
	{"TN", "KNOXVILLE", 35.9606, -83.9207, "472", 1, []string{"865"}},
	{"MN", "MINNEAPOLIS", 44.9778, -93.2650, "628", 3, []string{"612", "763", "952"}},
	{"MN", "SAINT PAUL", 44.9537, -93.0900, "628", 1, []string{"651"}},
	{"MO", "SAINT LOUIS", 38.6270, -90.1994, "520", 2, []string{"314", "636"}},
	{"MO", "KANSAS CITY", 39.0997, -94.5786, "524", 2, []string{"816"}},
	{"NV", "LAS VEGAS", 36.1699, -115.1398, "721", 3, []string{"702", "725"}},
	{"NV", "RENO", 39.5296, -119.8138, "720", 1, []string{"775"}},
	{"OR", "PORTLAND", 45.5152, -122.6784, "672", 3, []string{"503", "971"}},
	{"OR", "EUGENE", 44.0521, -123.0868, "670", 1, []string{"541"}},
	{"LA", "NEW ORLEANS", 29.9511, -90.0715, "490", 2, []string{"504"}},
	{"LA", "BATON ROUGE", 30.4515, -91.1871, "492", 1, []string{"225"}},
	{"UT", "SALT LAKE CITY", 40.7608, -111.8910, "660", 2, []string{"801", "385"}},
	{"MD", "BALTIMORE", 39.2904, -76.6122, "238", 3, []string{"410", "443"}},
	{"MD", "ROCKVILLE", 39.0840, -77.1528, "236", 2, []string{"301", "240"}},
	{"WI", "MILWAUKEE", 43.0389, -87.9065, "350", 2, []string{"414", "262"}},
	{"WI", "MADISON", 43.0731, -89.4012, "354", 1, []string{"608"}},
	{"IN", "INDIANAPOLIS", 39.7684, -86.1581, "336", 2, []string{"317", "463"}},
	{"KY", "LOUISVILLE", 38.2527, -85.7585, "462", 2, []string{"502"}},
	{"OK", "OKLAHOMA CITY", 35.4676, -97.5164, "536", 1, []string{"405"}},
	{"CT", "HARTFORD", 41.7658, -72.6734, "920", 2, []string{"860", "959"}},
	{"DC", "WASHINGTON", 38.9072, -77.0369, "236", 2, []string{"202"}},
}

// ocns are operating company numbers as CarrierX shows them ("251F").
var ocns = []string{"251F", "7389", "6529", "9740", "4017", "0695", "8826", "5074", "6664",
	"7513", "9206", "6006", "1979", "8325", "508G", "181E", "0398", "9102"}

// didClass is a DID classification with its monthly price.
type didClass struct {
	sid    string
	price  string
	weight int
}
