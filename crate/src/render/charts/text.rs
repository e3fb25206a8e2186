//! The words drawn on the charts and said in their text alternatives, in the five interface
//! languages (en, zh, ru, ko, mn). `{…}` marks a value filled in with [`fill`].

use crate::model::lang::Lang;

/// The phrase `key` in `lang`; the key itself if unknown (a bug, visible on the chart).
pub fn tr(lang: Lang, key: &str) -> &'static str {
    let t: [&'static str; 5] = match key {
        "simulated" => ["SIMULATED DATA", "模拟数据", "СМОДЕЛИРОВАННЫЕ ДАННЫЕ", "모의 데이터", "ЗАГВАРЧИЛСАН ӨГӨГДӨЛ"],
        "detections" => ["detections", "检测次数", "регистрации", "탐지 수", "бүртгэл"],
        "individuals" => ["individuals", "个体数", "особи", "개체 수", "бодгаль"],
        "det_ind_title" => [
            "Detections per individual and country",
            "各个体在各国的检测次数",
            "Регистрации по особям и странам",
            "개체별·국가별 탐지 수",
            "Бодгаль ба улс тус бүрийн бүртгэл",
        ],
        "det_ind_x" => [
            "joint individuals (ordered by first national ID)",
            "联合个体（按首个国家编号排序）",
            "общие особи (по первому национальному номеру)",
            "공동 개체(첫 국가 ID 순)",
            "нэгдсэн бодгаль (эхний үндэсний дугаараар)",
        ],
        "det_country_title" => [
            "Detections per country",
            "各国检测次数",
            "Регистрации по странам",
            "국가별 탐지 수",
            "Улс тус бүрийн бүртгэл",
        ],
        "crossings_title" => [
            "Border crossings per individual",
            "每个个体的越境次数",
            "Пересечения границы на особь",
            "개체별 국경 횡단 횟수",
            "Бодгаль тус бүрийн хил давалт",
        ],
        "crossings_x" => [
            "crossings (changes of country between consecutive detections)",
            "越境次数（相邻两次检测之间国家的变化）",
            "пересечения (смена страны между последовательными регистрациями)",
            "횡단 횟수(연속 탐지 사이 국가 변경)",
            "давалт (дараалсан бүртгэлийн хооронд улс солигдсон)",
        ],
        "distance_title" => [
            "Farthest detection from the border",
            "距边境最远的检测",
            "Самая дальняя от границы регистрация",
            "국경에서 가장 먼 탐지",
            "Хилээс хамгийн алс бүртгэл",
        ],
        "distance_x" => [
            "km from the border (geodesic, bins of {w} km)",
            "距边境公里数（测地线，每组 {w} 公里）",
            "км от границы (геодезически, интервалы по {w} км)",
            "국경으로부터 km(측지선, {w} km 구간)",
            "хилээс км (геодезийн, {w} км-ийн бүлэг)",
        ],
        "one_country" => ["detected in one country", "仅在一国检测到", "в одной стране", "한 국가에서만 탐지", "нэг улсад бүртгэгдсэн"],
        "transboundary" => ["transboundary", "跨境", "трансграничные", "월경", "хил дамнасан"],
        "fitted_detection" => [
            "Fitted detection function ({m})",
            "拟合的检测函数（{m}）",
            "Подобранная функция обнаружения ({m})",
            "적합된 탐지 함수({m})",
            "Тохируулсан илрүүлэх функц ({m})",
        ],
        "distance_centre" => [
            "distance from the activity centre (km)",
            "距活动中心的距离（公里）",
            "расстояние от центра активности (км)",
            "활동 중심으로부터 거리(km)",
            "үйл ажиллагааны төвөөс зай (км)",
        ],
        "capture_title" => ["Capture histories", "捕获历史", "Истории поимок", "포획 이력", "Баригдсан түүх"],
        "capture_x" => [
            "occasion ({d} days each)",
            "捕获场次（每次 {d} 天）",
            "сеанс (по {d} сут.)",
            "회차(각 {d}일)",
            "үе ({d} хоног тус бүр)",
        ],
        "once" => ["detected once", "检测到一次", "одна регистрация", "1회 탐지", "нэг удаа"],
        "more" => ["detected 2+ times", "检测到两次以上", "2+ регистрации", "2회 이상 탐지", "2+ удаа"],
        "estimates_title" => [
            "Population estimates with 95% confidence intervals",
            "种群数量估计及 95% 置信区间",
            "Оценки численности с 95% доверительными интервалами",
            "개체군 추정치와 95% 신뢰구간",
            "Тооны үнэлгээ, 95% итгэлийн завсар",
        ],
        "animals_n" => ["animals (N)", "个体数（N）", "особей (N)", "개체 수(N)", "бодгаль (N)"],
        "closed" => ["closed model", "封闭模型", "закрытая модель", "폐쇄 모형", "хаалттай загвар"],
        "jackknife" => ["jackknife", "刀切法", "складной нож", "잭나이프", "жакнайф"],
        "secr" => ["SECR", "SECR", "SECR", "SECR", "SECR"],
        "naive" => [
            "sum of national counts",
            "各国计数之和",
            "сумма национальных подсчётов",
            "국가별 집계의 합",
            "үндэсний тооллогын нийлбэр",
        ],
        "rai_title" => [
            "Relative abundance index per station",
            "各相机位点的相对丰度指数",
            "Индекс относительного обилия по станциям",
            "정점별 상대 풍부도 지수",
            "Станц тус бүрийн харьцангуй элбэгшлийн индекс",
        ],
        "rai_y" => [
            "detections per 100 camera-days",
            "每 100 相机日的检测次数",
            "регистраций на 100 фотоловушко-суток",
            "카메라 100일당 탐지 수",
            "100 камер-хоногт ногдох бүртгэл",
        ],
        "stations_by_rai" => [
            "stations (by country, highest first)",
            "相机位点（按国家，由高到低）",
            "станции (по странам, по убыванию)",
            "정점(국가별, 높은 순)",
            "станц (улсаар, ихээс бага)",
        ],
        "accum_title_days" => [
            "Species accumulation over survey days",
            "物种累积曲线（调查天数）",
            "Накопление видов по дням съёмки",
            "조사일에 따른 종 누적",
            "Судалгааны өдрөөр зүйлийн хуримтлал",
        ],
        "accum_title_stations" => [
            "Species accumulation over stations",
            "物种累积曲线（相机位点）",
            "Накопление видов по станциям",
            "정점에 따른 종 누적",
            "Станцаар зүйлийн хуримтлал",
        ],
        "survey_days" => ["survey days", "调查天数", "дни съёмки", "조사일 수", "судалгааны өдөр"],
        "stations" => ["stations", "相机位点数", "станции", "정점 수", "станц"],
        "species_expected" => [
            "species (expected, exact rarefaction)",
            "物种数（期望值，精确稀疏化）",
            "виды (ожидаемое, точная разрежение)",
            "종 수(기댓값, 정확한 희박화)",
            "зүйл (хүлээгдэх, нарийн ховордуулалт)",
        ],
        "diel_title" => [
            "Daily activity of {a} and {b}",
            "{a} 与 {b} 的日活动节律",
            "Суточная активность: {a} и {b}",
            "{a}와 {b}의 일주 활동",
            "{a} ба {b}-ийн хоногийн идэвх",
        ],
        "clock_hours" => [
            "local time of day (h)",
            "当地时间（时）",
            "местное время суток (ч)",
            "현지 시각(시)",
            "орон нутгийн цаг (ц)",
        ],
        "sun_hours" => [
            "sun time (h; sunrise 6, sunset 18)",
            "太阳时（时；日出 6，日落 18）",
            "солнечное время (ч; восход 6, закат 18)",
            "태양시(시, 일출 6, 일몰 18)",
            "нарны цаг (ц; нар мандах 6, жаргах 18)",
        ],
        "density" => ["density", "密度", "плотность", "밀도", "нягт"],
        "overlap" => ["overlap Δ̂ = {d}", "重叠 Δ̂ = {d}", "перекрытие Δ̂ = {d}", "중첩 Δ̂ = {d}", "давхцал Δ̂ = {d}"],
        // Text alternatives.
        "alt_det_ind" => [
            "Stacked bar chart{sim}: detections of each of {n} joint individuals, by country; {t} were detected in more than one country.",
            "堆积柱状图{sim}：{n} 个联合个体各自在各国的检测次数；{t} 个在多个国家被检测到。",
            "Столбчатая диаграмма{sim}: регистрации каждой из {n} общих особей по странам; {t} зарегистрированы более чем в одной стране.",
            "누적 막대그래프{sim}: 공동 개체 {n}마리 각각의 국가별 탐지 수; {t}마리는 두 나라 이상에서 탐지됨.",
            "Давхарласан баганан график{sim}: нэгдсэн {n} бодгаль тус бүрийн улсаар бүртгэл; {t} нь нэгээс олон улсад бүртгэгдсэн.",
        ],
        "alt_det_country" => [
            "Bar chart{sim}: detections per country: {list}.",
            "柱状图{sim}：各国检测次数：{list}。",
            "Столбчатая диаграмма{sim}: регистрации по странам: {list}.",
            "막대그래프{sim}: 국가별 탐지 수: {list}.",
            "Баганан график{sim}: улс тус бүрийн бүртгэл: {list}.",
        ],
        "alt_crossings" => [
            "Histogram{sim}: border crossings per individual; {t} of {n} individuals crossed at least once, at most {max} times.",
            "直方图{sim}：每个个体的越境次数；{n} 个个体中 {t} 个至少越境一次，最多 {max} 次。",
            "Гистограмма{sim}: пересечения границы на особь; {t} из {n} особей пересекали хотя бы раз, не более {max} раз.",
            "히스토그램{sim}: 개체별 국경 횡단 횟수; {n}마리 중 {t}마리가 한 번 이상, 최대 {max}회 횡단.",
            "Гистограмм{sim}: бодгаль тус бүрийн хил давалт; {n}-ээс {t} нь дор хаяж нэг удаа, хамгийн ихдээ {max} удаа давсан.",
        ],
        "alt_distance" => [
            "Histogram{sim}: farthest detection of each individual from the border; median {med} km, maximum {max} km.",
            "直方图{sim}：每个个体距边境最远的检测；中位数 {med} 公里，最大 {max} 公里。",
            "Гистограмма{sim}: самая дальняя от границы регистрация каждой особи; медиана {med} км, максимум {max} км.",
            "히스토그램{sim}: 개체별 국경에서 가장 먼 탐지; 중앙값 {med} km, 최대 {max} km.",
            "Гистограмм{sim}: бодгаль бүрийн хилээс хамгийн алс бүртгэл; медиан {med} км, дээд {max} км.",
        ],
        "alt_capture" => [
            "Matrix{sim}: {n} individuals × {k} occasions of {d} days; {c} individual-occasions with a detection; {r} individuals detected in more than one occasion.",
            "矩阵{sim}：{n} 个个体 × {k} 个 {d} 天的场次；有检测的个体-场次 {c} 个；{r} 个个体在多个场次被检测到。",
            "Матрица{sim}: {n} особей × {k} сеансов по {d} сут.; {c} пар особь–сеанс с регистрацией; {r} особей зарегистрированы в нескольких сеансах.",
            "행렬{sim}: 개체 {n} × {d}일 회차 {k}; 탐지가 있는 개체-회차 {c}; {r}마리가 두 회차 이상에서 탐지됨.",
            "Матриц{sim}: {n} бодгаль × {d} хоногийн {k} үе; бүртгэлтэй бодгаль-үе {c}; {r} бодгаль нэгээс олон үед бүртгэгдсэн.",
        ],
        "alt_estimates" => [
            "Dot-and-whisker chart{sim}: population estimates with 95% intervals: {list}.",
            "点须图{sim}：种群数量估计及 95% 区间：{list}。",
            "Точечная диаграмма с усами{sim}: оценки численности с 95% интервалами: {list}.",
            "점-수염 그래프{sim}: 개체군 추정치와 95% 구간: {list}.",
            "Цэг-сахалтай график{sim}: тооны үнэлгээ, 95% завсар: {list}.",
        ],
        "alt_rai" => [
            "Bar chart{sim}: detections per 100 camera-days at {n} stations; mean {mean}, highest {max} at {top}; {zero} stations without a detection.",
            "柱状图{sim}：{n} 个位点每 100 相机日的检测次数；平均 {mean}，最高 {max}（{top}）；{zero} 个位点无检测。",
            "Столбчатая диаграмма{sim}: регистраций на 100 фотоловушко-суток на {n} станциях; среднее {mean}, максимум {max} ({top}); {zero} станций без регистраций.",
            "막대그래프{sim}: {n}개 정점의 카메라 100일당 탐지 수; 평균 {mean}, 최고 {max}({top}); 탐지 없는 정점 {zero}개.",
            "Баганан график{sim}: {n} станцын 100 камер-хоногт ногдох бүртгэл; дундаж {mean}, хамгийн их {max} ({top}); бүртгэлгүй {zero} станц.",
        ],
        "alt_accum" => [
            "Line chart{sim}: expected number of species against {what}: {first} in one, {half} in {h}, {all} in all {n} ({species}).",
            "折线图{sim}：期望物种数随{what}的变化：1 个为 {first}，{h} 个为 {half}，全部 {n} 个为 {all}（{species}）。",
            "Линейный график{sim}: ожидаемое число видов в зависимости от показателя «{what}»: {first} для одного, {half} для {h}, {all} для всех {n} ({species}).",
            "선 그래프{sim}: {what}에 따른 기대 종 수: 1개에서 {first}, {h}개에서 {half}, 전체 {n}개에서 {all} ({species}).",
            "Шугаман график{sim}: {what}-аар хүлээгдэх зүйлийн тоо: нэгд {first}, {h}-д {half}, бүх {n}-д {all} ({species}).",
        ],
        "alt_diel" => [
            "Line chart{sim}: activity density over the day of {a} ({na} records, activity level {aa}) and {b} ({nb} records, activity level {ab}); shaded overlap Δ̂ = {d} ({est}).",
            "折线图{sim}：{a}（{na} 条记录，活动水平 {aa}）与 {b}（{nb} 条记录，活动水平 {ab}）的日活动密度；阴影重叠 Δ̂ = {d}（{est}）。",
            "Линейный график{sim}: плотность активности в течение суток: {a} ({na} записей, уровень активности {aa}) и {b} ({nb} записей, уровень активности {ab}); заштрихованное перекрытие Δ̂ = {d} ({est}).",
            "선 그래프{sim}: 하루 중 활동 밀도: {a}({na}건, 활동 수준 {aa})와 {b}({nb}건, 활동 수준 {ab}); 음영 중첩 Δ̂ = {d}({est}).",
            "Шугаман график{sim}: хоногийн идэвхийн нягт: {a} ({na} бичлэг, идэвхийн түвшин {aa}) ба {b} ({nb} бичлэг, идэвхийн түвшин {ab}); сүүдэрлэсэн давхцал Δ̂ = {d} ({est}).",
        ],
        "alt_detection_fn" => [
            "Line chart{sim}: fitted {m} detection function against distance from the activity centre; {g0} at the centre, {half} at {x} km.",
            "折线图{sim}：拟合的 {m} 检测函数随距活动中心距离的变化；中心处 {g0}，{x} 公里处 {half}。",
            "Линейный график{sim}: подобранная функция обнаружения {m} от расстояния до центра активности; {g0} в центре, {half} на {x} км.",
            "선 그래프{sim}: 활동 중심으로부터 거리에 따른 적합된 {m} 탐지 함수; 중심에서 {g0}, {x} km에서 {half}.",
            "Шугаман график{sim}: төвөөс зайгаар тохируулсан {m} илрүүлэх функц; төвд {g0}, {x} км-т {half}.",
        ],
        "sim_note" => [" of simulated data", "（模拟数据）", " (смоделированные данные)", "(모의 데이터)", " (загварчилсан өгөгдөл)"],
        _ => return "??",
    };
    lang.pick(t)
}

/// Replaces each `{name}` in `template` by its value.
///
/// ```
/// use borderless::render::charts::text::fill;
/// assert_eq!(fill("{a} and {b}", &[("a", "1".into()), ("b", "2".into())]), "1 and 2");
/// ```
pub fn fill(template: &str, vars: &[(&str, String)]) -> String {
    let mut s = template.to_string();
    for (k, v) in vars {
        s = s.replace(&format!("{{{k}}}"), v);
    }
    s
}
