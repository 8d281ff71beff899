"""Real towns with coordinates, used to place plants and customers, and the freight regions.

Coordinates are town centres to about 0.01 degree (public gazetteer values). Only the places
are real: which plant or customer sits in which town is synthetic, except where the reference
case says otherwise.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np

#: US states by census region; the region is what freight rates are keyed on.
US_REGIONS: dict[str, tuple[str, ...]] = {
    "US-Northeast": ("CT", "ME", "MA", "NH", "RI", "VT", "NJ", "NY", "PA"),
    "US-Midwest": ("IL", "IN", "MI", "OH", "WI", "IA", "KS", "MN", "MO", "NE", "ND", "SD"),
    "US-South": (
        "DE", "FL", "GA", "MD", "NC", "SC", "VA", "DC", "WV", "AL", "KY", "MS", "TN", "AR",
        "LA", "OK", "TX",
    ),
    "US-West": ("AZ", "CO", "ID", "MT", "NV", "NM", "UT", "WY", "AK", "CA", "HI", "OR", "WA"),
}  # fmt: skip
EU_REGION = "EU"
#: Every freight region, US first.
REGIONS = (*US_REGIONS, EU_REGION)

_STATE_REGION = {state: region for region, states in US_REGIONS.items() for state in states}

# name | state (US) or country (Europe) | latitude | longitude
_US = """
Hartford|CT|41.7658|-72.6734
New Haven|CT|41.3083|-72.9279
Bridgeport|CT|41.1865|-73.1952
Waterbury|CT|41.5582|-73.0515
Danbury|CT|41.3948|-73.4540
Norwich|CT|41.5243|-72.0759
Boston|MA|42.3601|-71.0589
Worcester|MA|42.2626|-71.8023
Springfield|MA|42.1015|-72.5898
Lowell|MA|42.6334|-71.3162
Leominster|MA|42.5251|-71.7598
New Bedford|MA|41.6362|-70.9342
Providence|RI|41.8240|-71.4128
Manchester|NH|42.9956|-71.4548
Nashua|NH|42.7654|-71.4676
Portsmouth|NH|43.0718|-70.7626
Portland|ME|43.6591|-70.2568
Burlington|VT|44.4759|-73.2121
Albany|NY|42.6526|-73.7562
Syracuse|NY|43.0481|-76.1474
Utica|NY|43.1009|-75.2327
Rochester|NY|43.1566|-77.6088
Buffalo|NY|42.8864|-78.8784
Binghamton|NY|42.0987|-75.9180
Long Island City|NY|40.7447|-73.9485
Yonkers|NY|40.9312|-73.8988
Newark|NJ|40.7357|-74.1724
Paterson|NJ|40.9168|-74.1718
Trenton|NJ|40.2206|-74.7597
Edison|NJ|40.5187|-74.4121
Philadelphia|PA|39.9526|-75.1652
Pittsburgh|PA|40.4406|-79.9959
Allentown|PA|40.6084|-75.4902
Erie|PA|42.1292|-80.0851
Reading|PA|40.3356|-75.9269
Scranton|PA|41.4090|-75.6624
York|PA|39.9626|-76.7277
Harrisburg|PA|40.2732|-76.8867
Chicago|IL|41.8781|-87.6298
Rockford|IL|42.2711|-89.0940
Peoria|IL|40.6936|-89.5890
Elgin|IL|42.0354|-88.2826
Indianapolis|IN|39.7684|-86.1581
Fort Wayne|IN|41.0793|-85.1394
Kokomo|IN|40.4864|-86.1336
South Bend|IN|41.6764|-86.2520
Evansville|IN|37.9716|-87.5711
Detroit|MI|42.3314|-83.0458
Grand Rapids|MI|42.9634|-85.6681
Lansing|MI|42.7325|-84.5555
Flint|MI|43.0125|-83.6875
Troy|MI|42.6064|-83.1498
Cleveland|OH|41.4993|-81.6944
Columbus|OH|39.9612|-82.9988
Cincinnati|OH|39.1031|-84.5120
Dayton|OH|39.7589|-84.1916
Toledo|OH|41.6528|-83.5379
Akron|OH|41.0814|-81.5190
Milwaukee|WI|43.0389|-87.9065
Madison|WI|43.0731|-89.4012
Racine|WI|42.7261|-87.7829
Minneapolis|MN|44.9778|-93.2650
Saint Paul|MN|44.9537|-93.0900
Rochester|MN|44.0121|-92.4802
Des Moines|IA|41.5868|-93.6250
Cedar Rapids|IA|41.9779|-91.6656
St. Louis|MO|38.6270|-90.1994
Kansas City|MO|39.0997|-94.5786
Wichita|KS|37.6872|-97.3301
Omaha|NE|41.2565|-95.9345
Sioux Falls|SD|43.5446|-96.7311
Fargo|ND|46.8772|-96.7898
Atlanta|GA|33.7490|-84.3880
Savannah|GA|32.0809|-81.0912
Charlotte|NC|35.2271|-80.8431
Raleigh|NC|35.7796|-78.6382
Greensboro|NC|36.0726|-79.7920
Hickory|NC|35.7332|-81.3412
Greenville|SC|34.8526|-82.3940
Columbia|SC|34.0007|-81.0348
Richmond|VA|37.5407|-77.4360
Norfolk|VA|36.8508|-76.2859
Roanoke|VA|37.2710|-79.9414
Baltimore|MD|39.2904|-76.6122
Wilmington|DE|39.7391|-75.5398
Nashville|TN|36.1627|-86.7816
Knoxville|TN|35.9606|-83.9207
Memphis|TN|35.1495|-90.0490
Chattanooga|TN|35.0456|-85.3097
Louisville|KY|38.2527|-85.7585
Lexington|KY|38.0406|-84.5037
Bowling Green|KY|36.9685|-86.4808
Birmingham|AL|33.5186|-86.8104
Huntsville|AL|34.7304|-86.5861
Mobile|AL|30.6954|-88.0399
Jackson|MS|32.2988|-90.1848
Tupelo|MS|34.2576|-88.7034
Little Rock|AR|34.7465|-92.2896
Fort Smith|AR|35.3859|-94.3985
New Orleans|LA|29.9511|-90.0715
Baton Rouge|LA|30.4515|-91.1871
Houston|TX|29.7604|-95.3698
Dallas|TX|32.7767|-96.7970
Fort Worth|TX|32.7555|-97.3308
San Antonio|TX|29.4241|-98.4936
Austin|TX|30.2672|-97.7431
El Paso|TX|31.7619|-106.4850
Oklahoma City|OK|35.4676|-97.5164
Tulsa|OK|36.1540|-95.9928
Tampa|FL|27.9506|-82.4572
Orlando|FL|28.5383|-81.3792
Jacksonville|FL|30.3322|-81.6557
Miami|FL|25.7617|-80.1918
Melbourne|FL|28.0836|-80.6081
Los Angeles|CA|34.0522|-118.2437
San Diego|CA|32.7157|-117.1611
San Jose|CA|37.3382|-121.8863
Oakland|CA|37.8044|-122.2712
Sacramento|CA|38.5816|-121.4944
Fresno|CA|36.7378|-119.7871
Anaheim|CA|33.8366|-117.9143
Torrance|CA|33.8358|-118.3406
Seattle|WA|47.6062|-122.3321
Everett|WA|47.9790|-122.2021
Spokane|WA|47.6588|-117.4260
Portland|OR|45.5152|-122.6784
Phoenix|AZ|33.4484|-112.0740
Tucson|AZ|32.2226|-110.9747
Denver|CO|39.7392|-104.9903
Colorado Springs|CO|38.8339|-104.8214
Salt Lake City|UT|40.7608|-111.8910
Albuquerque|NM|35.0844|-106.6504
Las Vegas|NV|36.1699|-115.1398
Boise|ID|43.6150|-116.2023
"""

_EUROPE = """
Paris|FR|48.8566|2.3522
Lyon|FR|45.7640|4.8357
Saint-Étienne|FR|45.4397|4.3872
Grenoble|FR|45.1885|5.7245
Marseille|FR|43.2965|5.3698
Toulouse|FR|43.6047|1.4442
Bordeaux|FR|44.8378|-0.5792
Nantes|FR|47.2184|-1.5536
Lille|FR|50.6292|3.0573
Strasbourg|FR|48.5734|7.7521
Rouen|FR|49.4432|1.0999
Clermont-Ferrand|FR|45.7772|3.0870
Dijon|FR|47.3220|5.0415
Tours|FR|47.3941|0.6848
Rennes|FR|48.1173|-1.6778
Nice|FR|43.7102|7.2620
Stuttgart|DE|48.7758|9.1829
Munich|DE|48.1351|11.5820
Frankfurt|DE|50.1109|8.6821
Cologne|DE|50.9375|6.9603
Düsseldorf|DE|51.2277|6.7735
Hamburg|DE|53.5511|9.9937
Berlin|DE|52.5200|13.4050
Nuremberg|DE|49.4521|11.0767
Hanover|DE|52.3759|9.7320
Wolfsburg|DE|52.4227|10.7865
Dortmund|DE|51.5136|7.4653
Milan|IT|45.4642|9.1900
Turin|IT|45.0703|7.6869
Bergamo|IT|45.6983|9.6773
Brescia|IT|45.5416|10.2118
Bologna|IT|44.4949|11.3426
Verona|IT|45.4384|10.9916
Padua|IT|45.4064|11.8768
Florence|IT|43.7696|11.2558
Rome|IT|41.9028|12.4964
Naples|IT|40.8518|14.2681
Madrid|ES|40.4168|-3.7038
Barcelona|ES|41.3851|2.1734
Valencia|ES|39.4699|-0.3763
Bilbao|ES|43.2630|-2.9350
Zaragoza|ES|41.6488|-0.8891
Seville|ES|37.3891|-5.9845
Brussels|BE|50.8503|4.3517
Antwerp|BE|51.2194|4.4025
Ghent|BE|51.0543|3.7174
Liège|BE|50.6326|5.5797
Charleroi|BE|50.4108|4.4446
Amsterdam|NL|52.3676|4.9041
Rotterdam|NL|51.9244|4.4777
Eindhoven|NL|51.4416|5.4697
Utrecht|NL|52.0907|5.1214
Birmingham|GB|52.4862|-1.8904
Manchester|GB|53.4808|-2.2426
London|GB|51.5074|-0.1278
Bristol|GB|51.4545|-2.5879
Leeds|GB|53.8008|-1.5491
Coventry|GB|52.4068|-1.5197
Warsaw|PL|52.2297|21.0122
Wrocław|PL|51.1079|17.0385
Poznań|PL|52.4064|16.9252
Prague|CZ|50.0755|14.4378
Brno|CZ|49.1951|16.6068
Vienna|AT|48.2082|16.3738
Linz|AT|48.3069|14.2858
Gothenburg|SE|57.7089|11.9746
Stockholm|SE|59.3293|18.0686
Porto|PT|41.1579|-8.6291
Lisbon|PT|38.7223|-9.1393
"""


@dataclass(frozen=True)
class Towns:
    """Columns of a town list, aligned: name, state or country, country, region, lat, lon."""

    name: np.ndarray
    area: np.ndarray
    country: np.ndarray
    region: np.ndarray
    lat: np.ndarray
    lon: np.ndarray

    def __len__(self) -> int:
        return len(self.name)

    def take(self, index: np.ndarray) -> Towns:
        return Towns(
            *(getattr(self, f)[index] for f in ("name", "area", "country", "region", "lat", "lon"))
        )

    def slugs(self) -> np.ndarray:
        """``hartford-ct``: lower-case ASCII town name and state or country code."""
        return np.array(
            [f"{slug(n)}-{a.lower()}" for n, a in zip(self.name, self.area, strict=True)],
            dtype=object,
        )

    def labels(self) -> np.ndarray:
        """``Hartford CT``."""
        return np.array(
            [f"{n} {a}" for n, a in zip(self.name, self.area, strict=True)], dtype=object
        )


def _parse(text: str, *, us: bool) -> Towns:
    rows = [line.split("|") for line in text.strip().splitlines()]
    name = np.array([r[0] for r in rows], dtype=object)
    area = np.array([r[1] for r in rows], dtype=object)
    if us:
        country = np.full(len(rows), "US", dtype=object)
        region = np.array([_STATE_REGION[a] for a in area], dtype=object)
    else:
        country = area.copy()
        region = np.full(len(rows), EU_REGION, dtype=object)
    lat = np.array([float(r[2]) for r in rows])
    lon = np.array([float(r[3]) for r in rows])
    return Towns(name, area, country, region, lat, lon)


#: Towns in the United States and in Europe.
US_TOWNS = _parse(_US, us=True)
EUROPE_TOWNS = _parse(_EUROPE, us=False)


def slug(text: str) -> str:
    """``Saint-Étienne`` → ``saint-etienne``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def region_of_state(state: str) -> str:
    return _STATE_REGION[state]


def great_circle_miles(
    lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray
) -> np.ndarray:
    """Haversine distance in statute miles (earth radius 3,958.8 mi); broadcasts."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp = p2 - p1
    dl = np.radians(lon2) - np.radians(lon1)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * 3958.8 * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
