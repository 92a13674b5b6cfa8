#!/usr/bin/env node
// Generates data/city-panel.csv and data/city-panel.truth.json: a SYNTHETIC yearbook-style panel of 156 real
// prefecture-level cities of China's 11 national urban agglomerations, 2008–2017. Names, provinces, agglomerations,
// coordinates and the 2008 population and GDP levels are approximate real values; every yearly value is simulated
// from the data-generating process below. Plain Node ESM, no dependencies, a fixed-seed PRNG: the output is
// byte-identical on every run and platform.
//
//   node scripts/generate-city-panel.mjs [OUT_DIR]        (default: data/ beside this script's parent)
//
// The data-generating process (documented with the same symbols in data/README.md):
//  1. Prices: a chained GDP deflator and a chained fixed-asset-investment price index per province (previous year
//     = 100), a national path plus provincial noise; the yuan/dollar rate is the real yearly average.
//  2. Real fixed-asset investment grows from FAI/GDP × GDP_2008 at a slowing national rate plus city effects and
//     noise; nominal FAI = real × the FAI price level. Capital K follows the perpetual inventory method exactly as
//     the `pim` transform computes it from the published (rounded) columns (K_2008 = the 2008 original value of fixed
//     assets, δ from the service lives, chained index, base 2008); the 2008 stock itself is set in step 5.
//  3. Employment in the nine sectors: each city's manufacturing orientation m_it = ln(L_m/L_s) moves with a city
//     trend, an AR(1) shock and, for non-central cities, freight (transport → division of labour); the division
//     index div is computed from the published employment exactly as the `specialization` transform does.
//  4. Controls FDI, budget expenditure, students are exogenous city paths (not functions of realised GDP).
//  5. Efficiency, a partial adjustment (the dynamic model of Table 2's system GMM):
//       ln θ_it = γ ln θ_i,t−1 + β_div ln div + β_fdi ln(fdi·rate) + β_gov ln gov + β_inv ln fai + β_edu ln students
//                 + μ_i + ν_t + e_it,   e_it iid,
//     μ_i drawn independently of the regressors (the exogeneity system GMM's levels equations assume), 2008 at the
//     steady state of its 2008 regressors. 深圳市 is the SBM frontier of every year and its efficiency moves with ν_t
//     only, so the per-year frontier removes ν_t from every score without adding a common component of its own.
//     The 2008 capital stock (the original value of fixed assets) is backed out so that 2008 real GDP is the city's
//     real level. Real GDP = θ · L^α · K^(1−α) with L the year-end population and a low α (0.2: see data/README.md on
//     the SBM's mix term); nominal GDP = real × the GDP price level. Industrial SO2 = intensity_i · κ_t · real
//     GDP · noise, so SO2 moves with output and the SBM score (inputs L, K; good output real GDP; bad output SO2)
//     moves with θ.
//  5b. Urban-district population `pop_urban` is shaped so that the rank-size (mono) index of each agglomeration
//     follows the paper's Table 3 (a second random stream: it changes no other column).
//  6. Yearbook warts: ~2.5% missing cells in fdi/students/freight/gov/so2, FDI of 2013 reported in 美元 instead of
//     万美元, one implausible SO2 value (an extra ×1000), and 襄樊市 renamed 襄阳市 from 2010.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SEED = 20200917;
const YEARS = [2008, 2009, 2010, 2011, 2012, 2013, 2014, 2015, 2016, 2017];
const T = YEARS.length;

// ---- the planted parameters (also written to city-panel.truth.json) -------------------------------------------
const BETA = { lndiv: 0.12, lnfdi: 0.03, lngov: 0.08, lninv: 0.06, lnedu: 0.05 };
const ALPHA = 0.2; // labour elasticity of the CRS frontier A·L^α·K^(1−α)
// Capital: the paper's reading (以固定资产原值为基础, depreciation from asset service lives, 单豪杰 2008): K_2008 is the
// original value of fixed assets (固定资产原值, the `fixed_assets` column) and δ comes from the service lives of
// three asset classes (buildings 38 years, equipment 12, other 16; residual value 4 %), weighted by their shares in
// investment (0.63, 0.29, 0.08) — the `pim: { service_lives, initial_stock }` declaration gives the same K exactly.
const SERVICE_LIVES = [
  { life: 38, share: 0.63 },
  { life: 12, share: 0.29 },
  { life: 16, share: 0.08 },
];
const RESIDUAL = 0.04;
const DELTA = SERVICE_LIVES.reduce((a, { life, share }) => a + share * (1 - Math.pow(RESIDUAL, 1 / life)), 0);
const FA_RETIRE = 0.025; // yearly retirements from the original value of fixed assets (historical cost)
const FA_SHARE = 0.9; // share of a year's investment that enters the fixed assets the same year
// year effects of ln θ: a decline that more than offsets the controls' growth, so that measured TFP falls slowly while
// capital deepens (as growth-accounting studies of Chinese cities in this decade find)
const NU = [0, -0.11, -0.21, -0.31, -0.365, -0.42, -0.465, -0.505, -0.54, -0.57];
// ln θ_it = γ ln θ_i,t−1 + β'x_it + μ_i + ν_t + e_it: a partial adjustment (the dynamic model of Table 2's system GMM)
const GAMMA = 0.4; // the adjustment: the weight of last year's efficiency
const SIGMA_E = 0.05; // e_it ~ iid N(0, σ_e²)
const MU_MEAN = -2.05; // μ_i ~ N(MU_MEAN, σ_μ²), independent of the regressors (puts the mean 2008 ln θ near 1.5)
const SIGMA_MU = 0.1;
// The frontier city of the per-year SBM: its μ is FRONTIER_LEAD above the others' mean, its regressors stay at their
// 2008 values in its efficiency and it has no shocks, so its efficiency moves with ν_t only; it emits far less SO2 per
// unit of output than any other city. Every other city's score is then θ_it/θ_Ft times the SBM's mix term and a
// constant: ν_t cancels, and no common component enters the scores (a frontier that moved with its own regressors and
// shocks, or that changed from year to year, would put one into every score; eq. (11) has no time effects to absorb it).
const FRONTIER_CITY = '深圳市';
const FRONTIER_LEAD = 0.8;
const FRONTIER_SO2 = 0.05; // its SO2 per unit of output relative to the rule for other cities (far cleaner than any)
const FREIGHT_ON_M = 0.3; // non-central: d ln(L_m/L_s) / d ln freight, within a city (the mediation channel)
const FDI_USD_YEAR = 2013; // the year FDI is reported in 美元
const RENAME_YEAR = 2010; // 襄樊市 → 襄阳市 from this year
const OUTLIER = { city: '临汾市', year: 2014, column: 'so2', factor: 1000 };

// National price paths (previous year = 100) and the yuan/dollar yearly average rate.
const GDP_DEFLATOR = [107.8, 99.8, 106.6, 108.1, 102.3, 102.2, 100.8, 100.1, 101.2, 104.1];
const FAI_PRICE = [108.9, 97.6, 103.6, 106.6, 101.1, 100.3, 100.5, 98.2, 99.4, 105.8];
const USD_RATE = [6.9451, 6.831, 6.7695, 6.4588, 6.3125, 6.1932, 6.1428, 6.2284, 6.6423, 6.7518];
const FAI_GROWTH = [0, 0.26, 0.18, 0.17, 0.15, 0.15, 0.12, 0.1, 0.08, 0.05]; // real FAI growth, national
const SO2_TREND = [1, 0.92, 0.85, 0.82, 0.72, 0.64, 0.56, 0.46, 0.24, 0.15]; // SO2 per unit of real GDP

// ---- the cities ---------------------------------------------------------------------------------------------------
// name | pinyin | province | lat | lon | 2008 year-end population (万人) | 2008 GDP (亿元) | flags
// flags: C central (municipality, provincial capital or separately planned city), S south of the Qinling–Huaihe
// line where the agglomeration is northern / N north where it is southern, R resource (mining-heavy) city.
const AGGLOMERATIONS = [
  [
    '京津冀',
    'Beijing-Tianjin-Hebei',
    'north',
    `
北京市|Beijing|北京|39.90|116.41|1230|11115|C
天津市|Tianjin|天津|39.13|117.20|969|6719|C
石家庄市|Shijiazhuang|河北|38.04|114.51|980|2838|C
唐山市|Tangshan|河北|39.63|118.18|733|3561|R
秦皇岛市|Qinhuangdao|河北|39.94|119.60|287|878|
邯郸市|Handan|河北|36.63|114.54|902|2162|R
邢台市|Xingtai|河北|37.07|114.50|692|1090|
保定市|Baoding|河北|38.87|115.46|1113|1580|
张家口市|Zhangjiakou|河北|40.82|114.89|462|811|
承德市|Chengde|河北|40.95|117.96|370|707|R
沧州市|Cangzhou|河北|38.30|116.84|702|1713|
廊坊市|Langfang|河北|39.54|116.68|407|1018|
衡水市|Hengshui|河北|37.74|115.67|431|617|`,
  ],
  [
    '长三角',
    'Yangtze River Delta',
    'south',
    `
上海市|Shanghai|上海|31.23|121.47|1391|14070|C
南京市|Nanjing|江苏|32.06|118.80|624|3775|C
无锡市|Wuxi|江苏|31.49|120.31|463|4419|
常州市|Changzhou|江苏|31.81|119.97|358|2203|
苏州市|Suzhou|江苏|31.30|120.59|630|6701|
南通市|Nantong|江苏|31.98|120.89|763|2510|
盐城市|Yancheng|江苏|33.35|120.16|811|1888|
扬州市|Yangzhou|江苏|32.39|119.41|458|1573|
镇江市|Zhenjiang|江苏|32.19|119.45|268|1408|
泰州市|Taizhou (Jiangsu)|江苏|32.46|119.92|507|1403|
杭州市|Hangzhou|浙江|30.27|120.16|677|4789|C
宁波市|Ningbo|浙江|29.87|121.54|568|3964|C
嘉兴市|Jiaxing|浙江|30.75|120.76|338|1701|
湖州市|Huzhou|浙江|30.89|120.09|258|1048|
绍兴市|Shaoxing|浙江|30.00|120.58|436|2223|
金华市|Jinhua|浙江|29.08|119.65|460|1703|
舟山市|Zhoushan|浙江|29.99|122.21|97|538|
台州市|Taizhou (Zhejiang)|浙江|28.66|121.42|574|1963|
芜湖市|Wuhu|安徽|31.35|118.38|230|752|
马鞍山市|Ma'anshan|安徽|31.67|118.51|130|555|
铜陵市|Tongling|安徽|30.94|117.81|74|338|R
安庆市|Anqing|安徽|30.54|117.06|612|705|
滁州市|Chuzhou|安徽|32.30|118.32|446|502|
池州市|Chizhou|安徽|30.66|117.49|158|230|
宣城市|Xuancheng|安徽|30.94|118.76|278|441|`,
  ],
  [
    '粤港澳',
    'Greater Bay Area (mainland part)',
    'south',
    `
广州市|Guangzhou|广东|23.13|113.26|784|8287|C
深圳市|Shenzhen|广东|22.54|114.06|228|7787|C
珠海市|Zhuhai|广东|22.27|113.58|104|992|
佛山市|Foshan|广东|23.02|113.12|370|4333|
惠州市|Huizhou|广东|23.11|114.42|318|1290|
东莞市|Dongguan|广东|23.02|113.75|175|3702|
中山市|Zhongshan|广东|22.52|113.39|147|1409|
江门市|Jiangmen|广东|22.58|113.08|388|1280|
肇庆市|Zhaoqing|广东|23.05|112.47|416|770|`,
  ],
  [
    '成渝',
    'Chengdu-Chongqing',
    'south',
    `
重庆市|Chongqing|重庆|29.56|106.55|3257|5794|C
成都市|Chengdu|四川|30.57|104.07|1125|3901|C
自贡市|Zigong|四川|29.34|104.78|325|477|
泸州市|Luzhou|四川|28.87|105.44|486|542|
德阳市|Deyang|四川|31.13|104.40|390|662|
绵阳市|Mianyang|四川|31.47|104.68|543|703|
遂宁市|Suining|四川|30.53|105.59|383|396|
内江市|Neijiang|四川|29.58|105.06|425|480|
乐山市|Leshan|四川|29.55|103.77|354|571|
南充市|Nanchong|四川|30.84|106.11|743|654|
眉山市|Meishan|四川|30.08|103.85|348|430|
宜宾市|Yibin|四川|28.77|104.64|537|705|
广安市|Guang'an|四川|30.46|106.63|468|426|
达州市|Dazhou|四川|31.21|107.47|672|682|R
雅安市|Ya'an|四川|29.98|103.01|154|237|
资阳市|Ziyang|四川|30.13|104.63|503|574|`,
  ],
  [
    '长江中游',
    'Middle Yangtze River',
    'south',
    `
武汉市|Wuhan|湖北|30.59|114.31|833|3960|C
黄石市|Huangshi|湖北|30.20|115.04|263|570|R
鄂州市|Ezhou|湖北|30.39|114.89|107|330|
黄冈市|Huanggang|湖北|30.45|114.87|742|706|
孝感市|Xiaogan|湖北|30.92|113.92|528|671|
咸宁市|Xianning|湖北|29.84|114.32|283|420|
襄阳市|Xiangyang|湖北|32.01|112.12|586|1006|
宜昌市|Yichang|湖北|30.69|111.29|401|1090|
荆州市|Jingzhou|湖北|30.33|112.24|647|707|
荆门市|Jingmen|湖北|31.04|112.20|300|616|
长沙市|Changsha|湖南|28.23|112.94|642|3001|C
株洲市|Zhuzhou|湖南|27.83|113.13|378|907|
湘潭市|Xiangtan|湖南|27.83|112.94|292|675|
岳阳市|Yueyang|湖南|29.36|113.13|544|1102|
益阳市|Yiyang|湖南|28.55|112.36|466|505|
常德市|Changde|湖南|29.03|111.70|611|1050|
衡阳市|Hengyang|湖南|26.89|112.57|777|1091|
娄底市|Loudi|湖南|27.70|111.99|430|518|R
南昌市|Nanchang|江西|28.68|115.86|491|1660|C
九江市|Jiujiang|江西|29.71|116.00|491|760|
景德镇市|Jingdezhen|江西|29.27|117.18|159|381|
鹰潭市|Yingtan|江西|28.26|117.07|113|311|
新余市|Xinyu|江西|27.82|114.92|114|509|
宜春市|Yichun|江西|27.81|114.42|551|661|
萍乡市|Pingxiang|江西|27.62|113.85|185|450|R
上饶市|Shangrao|江西|28.45|117.94|720|711|
抚州市|Fuzhou (Jiangxi)|江西|27.95|116.36|391|445|
吉安市|Ji'an|江西|27.11|114.99|481|567|`,
  ],
  [
    '中原',
    'Central Plains',
    'north',
    `
郑州市|Zhengzhou|河南|34.75|113.63|632|3004|C
开封市|Kaifeng|河南|34.80|114.31|503|710|
洛阳市|Luoyang|河南|34.62|112.45|656|1919|
平顶山市|Pingdingshan|河南|33.77|113.19|510|1009|R
新乡市|Xinxiang|河南|35.30|113.93|563|947|
焦作市|Jiaozuo|河南|35.22|113.24|361|1046|R
许昌市|Xuchang|河南|34.04|113.85|465|1062|
漯河市|Luohe|河南|33.58|114.02|259|552|
鹤壁市|Hebi|河南|35.75|114.30|154|337|R
商丘市|Shangqiu|河南|34.41|115.66|892|887|
周口市|Zhoukou|河南|33.63|114.70|1094|965|
安阳市|Anyang|河南|36.10|114.39|556|1150|
濮阳市|Puyang|河南|35.76|115.03|374|670|R
三门峡市|Sanmenxia|河南|34.77|111.20|225|750|R
南阳市|Nanyang|河南|32.99|112.53|1086|1637|S
信阳市|Xinyang|河南|32.15|114.09|805|900|S
驻马店市|Zhumadian|河南|33.01|114.02|876|855|
晋城市|Jincheng|山西|35.49|112.85|225|603|R
长治市|Changzhi|山西|36.20|113.12|333|862|R
亳州市|Bozhou|安徽|33.84|115.78|600|380|
宿州市|Suzhou (Anhui)|安徽|33.65|116.96|627|480|
淮北市|Huaibei|安徽|33.96|116.80|215|370|R
蚌埠市|Bengbu|安徽|32.92|117.39|355|490|S
阜阳市|Fuyang|安徽|32.89|115.81|986|553|
聊城市|Liaocheng|山东|36.46|115.99|575|1425|
菏泽市|Heze|山东|35.23|115.48|935|900|`,
  ],
  [
    '哈长',
    'Harbin-Changchun',
    'north',
    `
哈尔滨市|Harbin|黑龙江|45.80|126.53|991|2868|C
大庆市|Daqing|黑龙江|46.59|125.10|274|2560|R
齐齐哈尔市|Qiqihar|黑龙江|47.35|123.92|567|624|
绥化市|Suihua|黑龙江|46.65|126.97|582|520|
牡丹江市|Mudanjiang|黑龙江|44.55|129.63|272|505|
长春市|Changchun|吉林|43.82|125.32|751|2561|C
吉林市|Jilin|吉林|43.84|126.55|433|1396|
四平市|Siping|吉林|43.17|124.35|339|572|
辽源市|Liaoyuan|吉林|42.89|125.14|126|323|R
松原市|Songyuan|吉林|45.14|124.83|285|960|R`,
  ],
  [
    '北部湾',
    'Beibu Gulf',
    'south',
    `
南宁市|Nanning|广西|22.82|108.37|692|1316|C
北海市|Beihai|广西|21.48|109.12|157|313|
钦州市|Qinzhou|广西|21.98|108.65|369|362|
防城港市|Fangchenggang|广西|21.69|108.35|88|196|
玉林市|Yulin (Guangxi)|广西|22.65|110.18|627|650|
崇左市|Chongzuo|广西|22.38|107.36|230|300|
湛江市|Zhanjiang|广东|21.27|110.36|773|1050|
茂名市|Maoming|广东|21.66|110.93|724|1220|
阳江市|Yangjiang|广东|21.86|111.98|268|530|
儋州市|Danzhou|海南|19.52|109.58|93|95|`,
  ],
  [
    '关中平原',
    'Guanzhong Plain',
    'north',
    `
西安市|Xi'an|陕西|34.34|108.94|772|2319|C
宝鸡市|Baoji|陕西|34.36|107.24|378|763|
咸阳市|Xianyang|陕西|34.33|108.71|523|757|
铜川市|Tongchuan|陕西|34.90|108.95|85|186|R
渭南市|Weinan|陕西|34.50|109.51|558|587|
商洛市|Shangluo|陕西|33.87|109.94|246|238|S
运城市|Yuncheng|山西|35.03|111.00|516|689|
临汾市|Linfen|山西|36.09|111.52|425|800|R
天水市|Tianshui|甘肃|34.58|105.72|352|262|
平凉市|Pingliang|甘肃|35.54|106.67|231|212|R
庆阳市|Qingyang|甘肃|35.71|107.64|259|270|R`,
  ],
  [
    '呼包鄂榆',
    'Hohhot-Baotou-Ordos-Yulin',
    'north',
    `
呼和浩特市|Hohhot|内蒙古|40.84|111.75|228|1316|C
包头市|Baotou|内蒙古|40.66|109.84|250|1762|R
鄂尔多斯市|Ordos|内蒙古|39.61|109.78|150|1603|R
榆林市|Yulin (Shaanxi)|陕西|38.29|109.73|355|1003|R`,
  ],
  [
    '兰西',
    'Lanzhou-Xining',
    'north',
    `
兰州市|Lanzhou|甘肃|36.06|103.83|324|846|C
白银市|Baiyin|甘肃|36.54|104.14|177|272|R
定西市|Dingxi|甘肃|35.58|104.63|300|124|
海东市|Haidong|青海|36.50|102.10|160|140|`,
  ],
];
// University students in 2008 (万人, approximate) of the central cities; the others are drawn from their size.
const CENTRAL_STUDENTS = {
  北京市: 58,
  天津市: 40,
  石家庄市: 30,
  上海市: 50,
  南京市: 70,
  杭州市: 40,
  宁波市: 14,
  广州市: 75,
  深圳市: 7,
  重庆市: 55,
  成都市: 65,
  武汉市: 90,
  长沙市: 50,
  南昌市: 50,
  郑州市: 60,
  哈尔滨市: 60,
  长春市: 45,
  南宁市: 30,
  西安市: 75,
  呼和浩特市: 20,
  兰州市: 35,
};
const COASTAL = new Set(['京津冀', '长三角', '粤港澳', '北部湾']);

// ---- PRNG: sfc32 seeded by splitmix32; normals by Box–Muller (both halves used) ---------------------------------
function splitmix32(a) {
  return () => {
    a = (a + 0x9e3779b9) | 0;
    let t = a ^ (a >>> 16);
    t = Math.imul(t, 0x21f0aaad);
    t ^= t >>> 15;
    t = Math.imul(t, 0x735a2d97);
    t ^= t >>> 15;
    return t >>> 0;
  };
}
function sfc32(seed) {
  const s = splitmix32(seed);
  let a = s(),
    b = s(),
    c = s(),
    d = s();
  return () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}
/** Standard normals from a uniform source by Box–Muller, both halves used. */
function makeNormal(uniformFn) {
  let spare = null;
  return (sd = 1) => {
    if (spare !== null) {
      const z = spare;
      spare = null;
      return z * sd;
    }
    let u = 0;
    while (u === 0) u = uniformFn();
    const v = uniformFn();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v) * sd;
  };
}
const uniform = sfc32(SEED);
const normal = makeNormal(uniform);
// A second stream for the urban population, so that adding it left every other column unchanged; a fourth for the
// efficiency process (μ_i and e_it). (A third, SEED + 2, drew a city factor of an earlier fixed-assets rule.)
const normalUrban = makeNormal(sfc32(SEED + 1));
const normalEff = makeNormal(sfc32(SEED + 3));

// ---- helpers --------------------------------------------------------------------------------------------------------
const round = (x, d) => Number(x.toFixed(d));
function haversineKm(lat1, lon1, lat2, lon2) {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}
const ROAD_CIRCUITY = 1.3;
/** Levels (2008 = 1) from a chained index (previous = 100); the 2008 value links to 2007 and is not used. */
function chainLevels(index) {
  const p = [1];
  for (let t = 1; t < index.length; t++) p.push((p[t - 1] * index[t]) / 100);
  return p;
}

// ---- 1. the city list ---------------------------------------------------------------------------------------------
const cities = [];
for (const [agg, aggEn, side, block] of AGGLOMERATIONS) {
  for (const line of block.trim().split('\n')) {
    const [name, pinyin, province, lat, lon, pop, gdp, flags = ''] = line.split('|');
    const north = side === 'north' ? !flags.includes('S') : flags.includes('N');
    cities.push({
      name,
      pinyin,
      province,
      agg,
      aggEn,
      lat: Number(lat),
      lon: Number(lon),
      pop0: Number(pop),
      gdp0: Number(gdp),
      central: flags.includes('C') ? 1 : 0,
      region: north ? 1 : 0,
      resource: flags.includes('R'),
      coastal: COASTAL.has(agg),
    });
  }
}
if (cities.length !== 156) throw new Error(`expected 156 cities, got ${cities.length}`);
if (cities.filter((c) => c.central).length !== 21) throw new Error('expected 21 central cities');
for (const c of cities) {
  const centres = cities.filter((d) => d.agg === c.agg && d.central);
  c.dist = c.central ? 0 : Math.min(...centres.map((d) => haversineKm(c.lat, c.lon, d.lat, d.lon))) * ROAD_CIRCUITY;
}

// ---- 2. prices by province -------------------------------------------------------------------------------------------
const provinces = [...new Set(cities.map((c) => c.province))];
const gdpIndex = new Map();
const faiIndex = new Map();
for (const p of provinces) {
  gdpIndex.set(
    p,
    GDP_DEFLATOR.map((v) => round(v + normal(0.8), 1)),
  );
  faiIndex.set(
    p,
    FAI_PRICE.map((v) => round(v + normal(0.6), 1)),
  );
}

// ---- 3. city paths ------------------------------------------------------------------------------------------------------
const MANUF_SPLIT = { mining: 0.07, manuf: 0.83, utility: 0.1 };
const SERVICE_SPLIT = { transport: 0.28, finance: 0.18, realestate: 0.12, it: 0.09, business: 0.18, research: 0.15 };
for (const c of cities) {
  const gdppc = c.gdp0 / c.pop0; // 万元 per person (亿元 / 万人)
  const pGdp = chainLevels(gdpIndex.get(c.province));
  const pFai = chainLevels(faiIndex.get(c.province));
  c.gdp_index = gdpIndex.get(c.province);
  c.fai_index = faiIndex.get(c.province);

  // population (万人): slow drift, central cities grow faster
  const gPop = 0.004 + 0.008 * c.central + normal(0.005);
  c.pop = YEARS.map((_, t) => round(c.pop0 * Math.exp(gPop * t + normal(0.004)), 2));

  // real FAI (万元, 2008 prices) and nominal FAI
  // FAI/GDP falls with output per head (poor cities invest a larger share of their GDP), which keeps the capital
  // per head of the cities closer together than their output per head. City growth trends differ little and the
  // yearly noise is transitory (a level shock, not a growth shock): see data/README.md on why the SBM needs both.
  const invRatio = Math.exp(Math.log(0.6) + normal(0.15)) * Math.pow(gdppc / 2, -0.45);
  const gInv = normal(0.012);
  let cumGrowth = 0;
  const realInv = YEARS.map((_, t) => {
    cumGrowth += FAI_GROWTH[t];
    return c.gdp0 * 1e4 * invRatio * Math.exp(cumGrowth + gInv * t + (t > 0 ? normal(0.08) : 0));
  });
  c.fai = realInv.map((v, t) => round(v * pFai[t], 0));

  // freight (万吨): about 8–20 万吨 per 亿元 of GDP, growing
  const f0 = c.gdp0 * 8 * Math.pow(gdppc / 2.5, -0.6) * Math.exp(normal(0.35));
  const gF = 0.06 + normal(0.03);
  let shockF = 0;
  c.lnFreight = YEARS.map((_, t) => {
    shockF = 0.5 * shockF + normal(0.06);
    return Math.log(f0) + gF * t + shockF;
  });
  c.freight = c.lnFreight.map((v) => round(Math.exp(v), 0));

  // employment (万人): total urban-unit employment, split into manufacturing-type and producer-service sectors
  const E0 = c.pop0 * 0.045 * Math.pow(gdppc, 0.9) * Math.exp(normal(0.15));
  const gE = 0.02 + normal(0.015);
  const covered = (c.central ? 0.52 : 0.47) + normal(0.03); // share of the nine sectors in total employment
  const m0 = (c.central ? -0.1 : 1.0) + (c.resource ? 0.3 : 0) + normal(0.3); // ln(L_m / L_s) in 2008
  const mTrend = (c.central ? -0.015 : 0.01) + normal(0.012);
  const manufSplit = { ...MANUF_SPLIT, mining: c.resource ? 0.35 : MANUF_SPLIT.mining };
  const mShares = normalise(
    Object.fromEntries(Object.entries(manufSplit).map(([k, v]) => [k, v * Math.exp(normal(0.2))])),
  );
  const sShares = normalise(
    Object.fromEntries(Object.entries(SERVICE_SPLIT).map(([k, v]) => [k, v * Math.exp(normal(0.25))])),
  );
  let shockM = 0;
  c.emp = YEARS.map((_, t) => {
    shockM = 0.6 * shockM + normal(0.05);
    const freightEffect = c.central ? 0 : FREIGHT_ON_M * (c.lnFreight[t] - c.lnFreight[0]);
    const m = m0 + mTrend * t + shockM + freightEffect;
    const nine = E0 * Math.exp(gE * t) * covered;
    const Lm = nine / (1 + Math.exp(-m));
    const Ls = nine - Lm;
    const row = {};
    for (const [k, s] of Object.entries(mShares)) row[`emp_${k}`] = round(Lm * s * Math.exp(normal(0.03)), 2);
    for (const [k, s] of Object.entries(sShares)) row[`emp_${k}`] = round(Ls * s * Math.exp(normal(0.03)), 2);
    return row;
  });

  // controls: FDI (万美元), budget expenditure (万元), university students (人) — exogenous paths
  const fdi0 = c.gdp0 * Math.exp(Math.log(c.coastal ? 60 : 28) + normal(0.7));
  const gFdi = 0.07 + normal(0.04);
  let shockFdi = 0;
  c.fdi = YEARS.map((_, t) => {
    shockFdi = 0.5 * shockFdi + normal(0.15);
    return round(fdi0 * Math.exp(gFdi * t + shockFdi), 0);
  });
  const gov0 = c.gdp0 * 1e4 * 0.12 * Math.pow(gdppc / 3, -0.3) * Math.exp(normal(0.15));
  const gGov = 0.16 + normal(0.02);
  c.gov = YEARS.map((_, t) => round(gov0 * Math.exp(gGov * t - 0.004 * t * t + normal(0.04)), 0));
  const stu0 = c.central
    ? CENTRAL_STUDENTS[c.name] * 1e4 * Math.exp(normal(0.05))
    : 30000 * Math.pow(c.pop0 / 500, 0.6) * Math.exp(normal(0.5));
  const gStu = 0.03 + normal(0.015);
  c.students = YEARS.map((_, t) => round(stu0 * Math.exp(gStu * t + normal(0.02)), 0));
  c.pGdp = pGdp;
  // 吨 per 亿元 of 2008 GDP: dirtier in resource cities, cleaner where output per head is high and in centres
  c.so2Intensity =
    Math.exp(Math.log(c.resource ? 150 : 60) + normal(0.45)) *
    Math.pow(gdppc / 2.5, -0.5) *
    (c.central ? 0.2 : 1) *
    (c.name === FRONTIER_CITY ? FRONTIER_SO2 : 1);
}

function normalise(o) {
  const s = Object.values(o).reduce((a, b) => a + b, 0);
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v / s]));
}

// ---- 3b. urban-district population, shaped to the paper's rank-size rule ---------------------------------------
// The paper's mono index (§4(3)): OLS of ln pop_i = C − q ln R_i within each agglomeration with C fixed at the log
// population of the largest city; q > 0.5 monocentric; otherwise the second-largest city is dropped until q > 0.5,
// which gives the number of centres. Registered totals give q ≈ 0.55–1.0 everywhere, so `pop_urban` (市辖区年末总人口)
// is generated to reproduce the paper's Table 3 classification and its 17 centres (170 central city-years):
//  - monocentric agglomerations (关中平原, 粤港澳, 长三角, 成渝, 北部湾): ln U_k = ln U_1 − a_t ln k + η_k, scaled so
//    that the fixed-intercept q equals Table 3's q of 2008, 2013 and 2017 (linear in between);
//  - polycentric ones (京津冀, 呼包鄂榆, 兰西, 哈长, 中原, 长江中游): twin centres — the second city within a few per
//    cent of the first — and below them a rank-size line from the second rank: ln U_k = ln U_1 − b ln(k − 1) + η_k
//    (k ≥ 3), b > 0.5, so that dropping the second-largest city once gives q > 0.5: two centres each, 5 + 12 = 17.
// Table 3's polycentric q values (0.10–0.36) cannot be combined with 17 centres under the fixed-intercept rule: for a
// group of four cities with q ≤ 0.16 no size profile reaches q > 0.5 after one drop (it needs q ≥ 0.30), and a large
// group needs q ≥ 0.47. The polycentric groups' q are therefore set just below 0.5 (a target inside the window the
// two-centre structure allows), moving with the paper's year-to-year changes; data/README.md says so.
// Ranks (k) order the administrative centre(s) first, then the other cities by 2008 GDP. U_1t = 0.7 × the largest
// city's registered population, lowered where needed so that no city's urban population exceeds 85 % of its
// registered total. η_k ~ N(0, 0.01) is a city's fixed deviation, e_kt ~ N(0, 0.003) a yearly one; after the noise the
// deviations from ln U_1 are rescaled so that q hits its target exactly. A second random stream: it changes no other
// column. These values reproduce the paper's structure, not the yearbooks' 市辖区 figures.
const RANK_SIZE_Q = {
  京津冀: [0.23, 0.21, 0.24],
  呼包鄂榆: [0.14, 0.15, 0.14],
  兰西: [0.17, 0.17, 0.16],
  哈长: [0.33, 0.36, 0.36],
  关中平原: [1.25, 1.27, 1.41],
  中原: [0.19, 0.11, 0.16],
  粤港澳: [0.55, 0.57, 0.58],
  长三角: [0.97, 0.98, 0.97],
  长江中游: [0.15, 0.12, 0.1],
  成渝: [0.7, 0.72, 0.86],
  北部湾: [1.19, 1.15, 1.15],
};
const THRESHOLD = 0.5;
const TABLE3_YEARS = [2008, 2013, 2017];
function interpolate([v08, v13, v17], t) {
  return t <= 5 ? v08 + ((v13 - v08) * t) / 5 : v13 + ((v17 - v13) * (t - 5)) / 4;
}
/** Fixed-intercept rank-size q of sizes (any order): Σ x d / Σ x², d = ln max − ln size, x = ln rank. */
function fixedQ(sizes) {
  const s = [...sizes].sort((u, v) => v - u);
  let sxx = 0;
  let sxd = 0;
  s.forEach((v, k) => {
    const x = Math.log(k + 1);
    sxx += x * x;
    sxd += x * (Math.log(s[0]) - Math.log(v));
  });
  return sxd / sxx;
}
/** Centres by the drop-the-second-largest rule with the fixed intercept (null when two units never exceed it). */
function fixedCentres(sizes) {
  const s = [...sizes].sort((u, v) => v - u);
  for (let dropped = 0; s.length >= 2; dropped++) {
    if (fixedQ(s) > THRESHOLD) return 1 + dropped;
    s.splice(1, 1);
  }
  return null;
}
const shaped = {}; // agglomeration → { q: [per year], centres: [per year], poly }
for (const agg of Object.keys(RANK_SIZE_Q)) {
  const members = cities.filter((c) => c.agg === agg).sort((a, b) => b.central - a.central || b.gdp0 - a.gdp0);
  const poly = RANK_SIZE_Q[agg][2] <= THRESHOLD;
  // x = ln k and the two-centre profile x2 = ln(k − 1) (k ≥ 3)
  const S = members.reduce((a, _, k) => a + Math.log(k + 1) ** 2, 0);
  const X = members.reduce((a, _, k) => a + (k >= 2 ? Math.log(k + 1) * Math.log(k) : 0), 0);
  const ratio = X / S; // q of the two-centre profile per unit of b
  // polycentric targets: b inside (0.5, 0.5/ratio), placed by the paper's q relative to its own range
  const paper = RANK_SIZE_Q[agg];
  const lo = Math.min(...paper);
  const hi = Math.max(...paper);
  const bLow = 0.5 + 0.25 * (0.5 / ratio - 0.5);
  const bHigh = 0.5 + 0.75 * (0.5 / ratio - 0.5);
  const eta = members.map((_, k) => (k === 0 ? 0 : normalUrban(0.01)));
  const twin = 0.03 + Math.abs(normalUrban(0.01)); // the second centre's log gap below the first
  const qs = [];
  const centres = [];
  members.forEach((c) => {
    c.popUrban = [];
  });
  YEARS.forEach((_, t) => {
    const target = poly
      ? ratio * (hi === lo ? (bLow + bHigh) / 2 : bLow + ((bHigh - bLow) * (interpolate(paper, t) - lo)) / (hi - lo))
      : interpolate(paper, t);
    // deviations d_k = ln U_1 − ln U_k before scaling
    const d = members.map((_, k) => {
      if (k === 0) return 0;
      const base = poly ? (k === 1 ? twin : Math.log(k)) : Math.log(k + 1);
      return Math.max(1e-3, base + eta[k] + normalUrban(0.003));
    });
    const raw = d.map((v) => Math.exp(-v));
    const f = target / fixedQ(raw);
    const scaled = d.map((v) => v * f);
    const cap = Math.min(...members.map((c, k) => 0.85 * c.pop[t] * Math.exp(scaled[k])));
    const top = Math.min(0.7 * members[0].pop[t], cap);
    members.forEach((c, k) => {
      c.popUrban.push(round(top * Math.exp(-scaled[k]), 2));
    });
    const published = members.map((c) => c.popUrban[t]);
    qs.push(fixedQ(published));
    centres.push(fixedCentres(published));
  });
  const want = poly ? 2 : 1;
  if (centres.some((k) => k !== want)) throw new Error(`${agg}: centres ${centres} (want ${want} every year)`);
  if (qs.some((q) => q > THRESHOLD === poly)) throw new Error(`${agg}: q ${qs} on the wrong side of ${THRESHOLD}`);
  shaped[agg] = { q: qs, centres, poly, ranked: members.map((c) => c.name) };
}
if (Object.values(shaped).reduce((a, v) => a + v.centres[T - 1], 0) !== 17) throw new Error('expected 17 centres');

// ---- 4. the division index from the published employment, as the specialization transform computes it ------------
const SERVICES = ['emp_transport', 'emp_finance', 'emp_realestate', 'emp_it', 'emp_business', 'emp_research'];
const MANUFACTURING = ['emp_mining', 'emp_manuf', 'emp_utility'];
for (let t = 0; t < T; t++) {
  for (const agg of new Set(cities.map((c) => c.agg))) {
    const members = cities.filter((c) => c.agg === agg);
    const sum = (c, cols) => cols.reduce((a, k) => a + c.emp[t][k], 0);
    const LS = members.reduce((a, c) => a + sum(c, SERVICES), 0);
    const LM = members.reduce((a, c) => a + sum(c, MANUFACTURING), 0);
    for (const c of members) {
      const ls = sum(c, SERVICES);
      const lm = sum(c, MANUFACTURING);
      (c.div ??= [])[t] = c.central ? ls / lm / (LS / LM) : lm / ls / (LM / LS);
    }
  }
}

// ---- 5. efficiency, capital, GDP and SO2 ----------------------------------------------------------------------------
// ln θ_it = γ ln θ_i,t−1 + β'x_it + μ_i + ν_t + e_it (e iid), from the steady state of the 2008 regressors:
// ln θ_i,2008 = (β'x_i,2008 + μ_i + ν_2008)/(1 − γ) + e_i,2008/√(1 − γ²). μ_i is drawn independently of every
// regressor, so the regressors are valid instruments in the levels equations of system GMM; 2008 starts at the steady
// state, so Δ ln θ is uncorrelated with μ_i (the levels equations' condition on the lagged dependent variable).
// The frontier city's efficiency moves with ν_t only (regressors held at 2008, no shocks).
for (const c of cities) {
  const x = (t) => ({
    lndiv: Math.log(c.div[t]),
    lnfdi: Math.log(c.fdi[t] * USD_RATE[t]),
    lngov: Math.log(c.gov[t]),
    lninv: Math.log(c.fai[t]),
    lnedu: Math.log(c.students[t]),
  });
  const xb = (t) => Object.entries(x(t)).reduce((a, [k, v]) => a + BETA[k] * v, 0);
  const isFrontier = c.name === FRONTIER_CITY;
  c.mu = MU_MEAN + normalEff(SIGMA_MU) + (isFrontier ? FRONTIER_LEAD : 0);
  const e = YEARS.map(() => normalEff(SIGMA_E));
  c.lnTheta = [];
  YEARS.forEach((_, t) => {
    const drive = (isFrontier ? xb(0) : xb(t)) + c.mu + NU[t];
    const shock = isFrontier ? 0 : e[t];
    c.lnTheta.push(
      t === 0 ? drive / (1 - GAMMA) + shock / Math.sqrt(1 - GAMMA ** 2) : GAMMA * c.lnTheta[t - 1] + drive + shock,
    );
  });
}
// Capital. The original value of fixed assets (固定资产原值, 万元, historical cost) of 2008 is the stock that makes 2008
// real GDP the city's real level, K_2008 = (GDP_2008 / (θ_2008 · L_2008^α))^(1/(1−α)); then last year's value less
// retirements plus most of this year's investment. K by the perpetual inventory method from the published (rounded)
// columns, as the pim transform does: K_2008 = fixed_assets_2008 / P_2008 (P_2008 = 1), δ from the service lives.
// The frontier city's 2008 stock is instead set so that the median city has the capital per head at which the SBM's
// mix term is flattest (k/k_F = α/(1 − α), see data/README.md); its 2008 GDP follows (above its real level).
function capitalPath(c, K0) {
  const pubLevels = chainLevels(c.fai_index);
  const I = c.fai.map((v, t) => v / pubLevels[t]);
  c.fixedAssets = [round(K0 * pubLevels[0], 0)];
  for (let t = 1; t < T; t++)
    c.fixedAssets.push(round(c.fixedAssets[t - 1] * (1 - FA_RETIRE) + FA_SHARE * c.fai[t], 0));
  c.K = [c.fixedAssets[0] / pubLevels[0]];
  for (let t = 1; t < T; t++) c.K.push((1 - DELTA) * c.K[t - 1] + I[t]);
}
const frontierCity = cities.find((c) => c.name === FRONTIER_CITY);
for (const c of cities) {
  if (c === frontierCity) continue;
  capitalPath(c, Math.pow((c.gdp0 * 1e4) / (Math.exp(c.lnTheta[0]) * Math.pow(c.pop[0], ALPHA)), 1 / (1 - ALPHA)));
}
{
  const lnk = cities
    .filter((c) => c !== frontierCity)
    .map((c) => Math.log(c.K[0] / c.pop[0]))
    .sort((a, b) => a - b);
  const median = (lnk[(lnk.length - 1) >> 1] + lnk[lnk.length >> 1]) / 2;
  capitalPath(frontierCity, frontierCity.pop[0] * Math.exp(median - Math.log(ALPHA / (1 - ALPHA))));
}
for (const c of cities) {
  const realGdp = YEARS.map((_, t) => Math.exp(c.lnTheta[t]) * Math.pow(c.pop[t], ALPHA) * Math.pow(c.K[t], 1 - ALPHA));
  c.realGdp = realGdp;
  c.gdp = realGdp.map((y, t) => round(y * c.pGdp[t], 0));
  c.so2 = realGdp.map((y, t) => round(((c.so2Intensity * SO2_TREND[t] * y) / 1e4) * Math.exp(normal(0.08)), 0));
}
// The frontier must be 深圳市 alone in every year: no other city may produce more per unit of labour, of capital or of
// SO2 than it (then 深圳 scaled to the city's output uses less of each input and emits less, and the city's score is
// θ_it/θ_Ft times the mix term). A margin of 5 % on each ratio; the generator fails otherwise.
for (let t = 0; t < T; t++) {
  const F = frontierCity;
  for (const c of cities) {
    if (c === F) continue;
    const lnY = Math.log(c.realGdp[t] / F.realGdp[t]);
    const worst = Math.max(
      lnY - Math.log(c.pop[t] / F.pop[t]),
      lnY - Math.log(c.K[t] / F.K[t]),
      lnY - Math.log(c.so2[t] / F.so2[t]),
    );
    if (worst > -0.05)
      throw new Error(`${c.name} ${YEARS[t]}: not dominated by the frontier city (${worst.toFixed(3)})`);
  }
}

// ---- 6. yearbook warts ---------------------------------------------------------------------------------------------
const COLUMNS = [
  'city',
  'city_en',
  'province',
  'agglomeration',
  'agglomeration_en',
  'central',
  'region',
  'lat',
  'lon',
  'dist_km',
  'year',
  'pop',
  'pop_urban',
  'gdp',
  'gdp_index',
  'fai',
  'fai_index',
  'fixed_assets',
  'so2',
  'emp_mining',
  'emp_manuf',
  'emp_utility',
  'emp_transport',
  'emp_finance',
  'emp_realestate',
  'emp_it',
  'emp_business',
  'emp_research',
  'fdi',
  'usd_rate',
  'students',
  'gov',
  'freight',
];
const MISSING_RATES = { fdi: 0.04, students: 0.03, freight: 0.03, gov: 0.01, so2: 0.015 };
const rows = [];
const missing = Object.fromEntries(Object.keys(MISSING_RATES).map((k) => [k, 0]));
for (const c of cities) {
  for (let t = 0; t < T; t++) {
    const year = YEARS[t];
    const renamed = c.name === '襄阳市' && year < RENAME_YEAR;
    const r = {
      city: renamed ? '襄樊市' : c.name,
      city_en: renamed ? 'Xiangfan' : c.pinyin,
      province: c.province,
      agglomeration: c.agg,
      agglomeration_en: c.aggEn,
      central: c.central,
      region: c.region,
      lat: c.lat.toFixed(2),
      lon: c.lon.toFixed(2),
      dist_km: c.dist.toFixed(0),
      year,
      pop: c.pop[t].toFixed(2),
      pop_urban: c.popUrban[t].toFixed(2),
      gdp: c.gdp[t].toFixed(0),
      gdp_index: c.gdp_index[t].toFixed(1),
      fai: c.fai[t].toFixed(0),
      fai_index: c.fai_index[t].toFixed(1),
      fixed_assets: c.fixedAssets[t].toFixed(0),
      so2: c.so2[t].toFixed(0),
      ...Object.fromEntries(Object.entries(c.emp[t]).map(([k, v]) => [k, v.toFixed(2)])),
      fdi: year === FDI_USD_YEAR ? (c.fdi[t] * 1e4).toFixed(0) : c.fdi[t].toFixed(0),
      usd_rate: USD_RATE[t].toFixed(4),
      students: c.students[t].toFixed(0),
      gov: c.gov[t].toFixed(0),
      freight: c.freight[t].toFixed(0),
    };
    if (c.name === OUTLIER.city && year === OUTLIER.year) r.so2 = (c.so2[t] * OUTLIER.factor).toFixed(0);
    for (const [k, p] of Object.entries(MISSING_RATES)) {
      const draw = uniform();
      // SO2 of central cities is never missing: a centre without an SBM score would blank its whole group's gap
      const isOutlier = k === OUTLIER.column && c.name === OUTLIER.city && year === OUTLIER.year;
      if (draw < p && !(k === 'so2' && c.central) && !isOutlier) {
        r[k] = '';
        missing[k]++;
      }
    }
    rows.push(r);
  }
}

// ---- 7. write -------------------------------------------------------------------------------------------------------
const here = dirname(fileURLToPath(import.meta.url));
const outDir = resolve(process.argv[2] ?? join(here, '..', 'data'));
mkdirSync(outDir, { recursive: true });
const csvCell = (v) => {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
const csv = [COLUMNS.join(','), ...rows.map((r) => COLUMNS.map((k) => csvCell(r[k])).join(','))].join('\n') + '\n';
writeFileSync(join(outDir, 'city-panel.csv'), csv);

const truth = {
  note: 'True parameters of the SYNTHETIC builtin:city-panel (scripts/generate-city-panel.mjs). See data/README.md.',
  seed: SEED,
  rows: rows.length,
  cities: cities.length,
  central: cities.filter((c) => c.central).length,
  efficiency: {
    equation:
      'ln θ_it = γ ln θ_i,t−1 + Σ β_k x_k,it + μ_i + ν_t + e_it (e iid; 2008 at the steady state of its regressors);  real GDP = θ · L^α · K^(1−α);  SO2 ∝ real GDP',
    beta: BETA,
    gamma: GAMMA,
    long_run_beta: Object.fromEntries(Object.entries(BETA).map(([k, v]) => [k, round(v / (1 - GAMMA), 6)])),
    regressors: {
      lndiv:
        'log of specialization { group: agglomeration, role: central, services: [emp_transport, emp_finance, emp_realestate, emp_it, emp_business, emp_research], manufacturing: [emp_mining, emp_manuf, emp_utility] }',
      lnfdi: 'log(fdi × usd_rate), fdi in 万美元 (after the 2013 fix)',
      lngov: 'log(gov)',
      lninv: 'log(fai) (nominal)',
      lnedu: 'log(students)',
    },
    year_effects: Object.fromEntries(YEARS.map((y, t) => [y, NU[t]])),
    sigma_e: SIGMA_E,
    mu: { mean: MU_MEAN, sd: SIGMA_MU, note: 'drawn independently of every regressor' },
    frontier: {
      city: FRONTIER_CITY,
      mu_lead: FRONTIER_LEAD,
      note: 'the SBM frontier of every year; its efficiency moves with the year effects only (regressors held at 2008, no shocks), so the scores carry neither ν_t nor a common component',
    },
    alpha_labour: ALPHA,
  },
  recovery: {
    note: 'Table 1 two-way FE (city, year) of ln SBM score on these regressors, cluster(city) SEs: an independent check (tests/transforms/parity/city-panel-check.py) finds every coefficient of the all, central and non-central models within 1.4 SE of beta (lndiv within 1.0 SE). The static FE model omits the lagged efficiency (γ), and the SBM score is not θ (a mix term, see data/README.md); test with a tolerance of 2 SE.',
    tolerance_se: 2,
  },
  capital: {
    note: "K_2008 = fixed_assets_2008 (original value of fixed assets, 2008 = base year); K_t = (1 − δ) K_{t−1} + fai_t / P_t with δ from the service lives (geometric, residual 4 %), as pim: { investment: fai, price_index: fai_index, index_type: chained, base: 2008, service_lives, residual, initial_stock: fixed_assets } computes it. fixed_assets_2008 is the stock that makes 2008 real GDP the city's real level given θ_2008; fixed_assets_t = 0.975 fixed_assets_{t−1} + 0.9 fai_t.",
    service_lives: SERVICE_LIVES,
    residual: RESIDUAL,
    depreciation: DELTA,
    initial_stock: 'fixed_assets',
    price_index: 'fai_index',
    index_type: 'chained',
    base: 2008,
  },
  mediation: {
    freight_on_ln_manufacturing_ratio_noncentral: FREIGHT_ON_M,
    direct_effect_of_trans_on_ln_theta: 0,
    note: "Non-central cities: ln(L_m/L_s) moves 0.3 with ln freight − ln freight_2008 (so with ln trans within a city); trans has no direct effect on θ. A mediation with city and year fixed effects recovers a ≈ 0.27 (on ln div), b ≈ 0.12, direct ≈ 0; the paper's pooled version (no fixed effects) mixes in the cross-section and does not.",
  },
  road_circuity: ROAD_CIRCUITY,
  rank_size: {
    column: 'pop_urban',
    note: "Fixed-intercept rank-size q (C = ln pop_urban of the largest city) of the published pop_urban; monocentric groups follow the paper's Table 3 q, polycentric ones have twin centres and q just below 0.5 (two centres each: 17 in all). paper_q is Table 3 as printed.",
    threshold: THRESHOLD,
    q: Object.fromEntries(
      Object.entries(shaped).map(([a, v]) => [
        a,
        Object.fromEntries(TABLE3_YEARS.map((y) => [y, round(v.q[YEARS.indexOf(y)], 6)])),
      ]),
    ),
    centres: Object.fromEntries(Object.entries(shaped).map(([a, v]) => [a, v.centres[T - 1]])),
    central_cities: Object.fromEntries(
      Object.entries(shaped).map(([a, v]) => [a, v.ranked.slice(0, v.centres[T - 1])]),
    ),
    paper_q: Object.fromEntries(
      Object.entries(RANK_SIZE_Q).map(([a, v]) => [a, { 2008: v[0], 2013: v[1], 2017: v[2] }]),
    ),
  },
  warts: {
    missing_cells: missing,
    fdi_in_usd_year: FDI_USD_YEAR,
    outlier: { ...OUTLIER, value: Number(rows.find((r) => r.city === OUTLIER.city && r.year === OUTLIER.year).so2) },
    renamed: { from: '襄樊市', to: '襄阳市', first_year_new_name: RENAME_YEAR },
  },
};
writeFileSync(join(outDir, 'city-panel.truth.json'), JSON.stringify(truth, null, 2) + '\n');
console.log(`wrote ${rows.length} rows × ${COLUMNS.length} columns to ${join(outDir, 'city-panel.csv')}`);
