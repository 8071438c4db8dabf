// The Java class every Java export fills in: a row-by-row port of the engine's scorers (same floating-point operations
// in the same order, fdlibm exp on raw bits) that decodes its parameters from string constants once at class load.

/**
 * Java 17 source with placeholders: __PACKAGE__, __HEADER__ (a comment), __CLASS__ and __DATA__ (string literals, each
 * below the class file's 65,535-byte constant limit). Parameters live in strings, not array initialisers, because
 * every array element costs bytecode and a method (the static initialiser too) is limited to 64 KB of it.
 */
export const JAVA_RUNTIME = String.raw`__PACKAGE__import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.BufferedOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

__HEADER__
public final class __CLASS__ {
  private __CLASS__() {}

  /** The target column the model predicts. */
  public static final String TARGET;
  /** "classification" or "regression". */
  public static final String TASK;
  /** Input feature names; every one must be a key of a scored record (null = missing). */
  public static final String[] FEATURES;
  /** "number" or "category", per feature. */
  public static final String[] FEATURE_TYPES;
  /** The training categories of each category feature; null for a numeric feature. */
  public static final String[][] FEATURE_CATEGORIES;
  /** Class labels in score order (empty for a regression). */
  public static final String[] CLASSES;

  private static final Spec[] SPECS;
  private static final Set<String> KNOWN;
  private static final int WIDTH;
  private static final Model[] BASES;
  private static final Model META;
  private static final int[] SOURCES;

  static {
    Data d = new Data(String.join("", data()));
    TARGET = d.str();
    TASK = d.str();
    CLASSES = new String[d.i()];
    for (int c = 0; c < CLASSES.length; c++) CLASSES[c] = d.str();
    SPECS = d.specs();
    FEATURES = new String[SPECS.length];
    FEATURE_TYPES = new String[SPECS.length];
    FEATURE_CATEGORIES = new String[SPECS.length][];
    KNOWN = new HashSet<>();
    for (int f = 0; f < SPECS.length; f++) {
      FEATURES[f] = SPECS[f].name;
      FEATURE_TYPES[f] = SPECS[f].numeric ? "number" : "category";
      FEATURE_CATEGORIES[f] = SPECS[f].numeric ? null : SPECS[f].categories.clone();
      KNOWN.add(SPECS[f].name);
    }
    int known = d.i();
    for (int j = 0; j < known; j++) KNOWN.add(d.str());
    WIDTH = d.i();
    BASES = new Model[d.i()];
    for (int b = 0; b < BASES.length; b++) BASES[b] = d.model();
    if (d.i() == 1) {
      META = d.model();
      SOURCES = d.ints(d.i());
    } else {
      META = null;
      SOURCES = null;
    }
  }

  /**
   * Scores one record (feature name to Double/Integer/other Number, String, Boolean or null = missing), reading values
   * as the engine reads JSON: probabilities in CLASSES order for a classifier, else one value. Throws
   * IllegalArgumentException when a feature is missing, has the wrong type, or an unknown key is present.
   */
  public static double[] score(Map<String, ?> record) {
    List<String> issues = new ArrayList<>();
    for (Spec spec : SPECS) {
      if (!record.containsKey(spec.name)) issues.add(spec.name + ": missing");
      else if (read(spec, record.get(spec.name)) == null) {
        issues.add(spec.name + ": wrong_type (expected " + (spec.numeric ? "number" : "string") + ")");
      }
    }
    for (String key : record.keySet()) if (!KNOWN.contains(key)) issues.add(key + ": unexpected");
    if (!issues.isEmpty()) {
      throw new IllegalArgumentException(issues.size() + " problem(s) in the record: " + String.join("; ", issues));
    }
    double[] x = new double[0];
    double[][] inputs = new double[BASES.length][];
    for (int b = 0; b < BASES.length; b++) {
      Spec[] specs = BASES[b].features;
      x = new double[specs.length];
      for (int f = 0; f < specs.length; f++) x[f] = read(specs[f], record.get(specs[f].name));
      inputs[b] = x;
    }
    double[] out = new double[WIDTH];
    scoreInputs(inputs, out);
    if (TASK.equals("regression") || WIDTH > 1) return out;
    return new double[] {1 - out[0], out[0]};
  }

  /** The most probable class (ties to the first in CLASSES); classifiers only. */
  public static String predictLabel(Map<String, ?> record) {
    if (CLASSES.length == 0) throw new IllegalStateException("a regression model has no labels");
    double[] p = score(record);
    int best = 0;
    for (int k = 1; k < p.length; k++) if (p[k] > p[best]) best = k;
    return CLASSES[best];
  }

  /**
   * Reads CSV with a header from stdin (every feature needs a column; other columns are ignored; an empty field is
   * missing) and prints each row's scores as comma-separated raw IEEE-754 bits in hex.
   */
  public static void main(String[] args) throws IOException {
    List<List<String>> rows = Csv.parse(readAll(System.in));
    if (rows.isEmpty()) return;
    List<String> header = rows.get(0);
    if (!header.isEmpty() && header.get(0).startsWith("\uFEFF")) header.set(0, header.get(0).substring(1));
    int[] at = new int[SPECS.length];
    for (int f = 0; f < SPECS.length; f++) {
      at[f] = header.indexOf(SPECS[f].name);
      if (at[f] < 0) {
        System.err.println("missing column: " + SPECS[f].name);
        System.exit(2);
      }
    }
    PrintStream out = new PrintStream(new BufferedOutputStream(System.out, 1 << 16), false, "UTF-8");
    StringBuilder line = new StringBuilder();
    Map<String, Object> record = new HashMap<>();
    for (int r = 1; r < rows.size(); r++) {
      List<String> row = rows.get(r);
      for (int f = 0; f < SPECS.length; f++) {
        String cell = at[f] < row.size() ? row.get(at[f]) : "";
        record.put(SPECS[f].name, cell.isEmpty() ? null : cell);
      }
      double[] scores;
      try {
        scores = score(record);
      } catch (IllegalArgumentException e) {
        out.flush();
        System.err.println("row " + r + ": " + e.getMessage());
        System.exit(1);
        return;
      }
      line.setLength(0);
      for (int k = 0; k < scores.length; k++) {
        if (k > 0) line.append(',');
        line.append(Long.toHexString(Double.doubleToRawLongBits(scores[k])));
      }
      out.println(line);
    }
    out.flush();
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    in.transferTo(buffer);
    return buffer.toByteArray();
  }

  private static void scoreInputs(double[][] inputs, double[] out) {
    if (META == null) {
      BASES[0].score(inputs[0], out, 0);
      return;
    }
    int width = 0;
    for (Model base : BASES) width += base.width;
    double[] stack = new double[width];
    int at = 0;
    for (int b = 0; b < BASES.length; b++) {
      BASES[b].score(inputs[b], stack, at);
      at += BASES[b].width;
    }
    double[] x = new double[SOURCES.length];
    for (int j = 0; j < SOURCES.length; j++) x[j] = stack[SOURCES[j]];
    META.score(x, out, 0);
  }

  // ---- Reading values (as the engine reads JSON records) ----

  /** The model's reading of a value (number, NaN = missing; category index, -1 = missing or unseen); null = wrong type. */
  private static Double read(Spec spec, Object raw) {
    if (spec.numeric) {
      if (raw == null) return Double.NaN;
      if (raw instanceof Number) {
        double v = ((Number) raw).doubleValue();
        if (Double.isNaN(v)) return Double.NaN;
        return Double.isFinite(v) ? v : null;
      }
      if (raw instanceof String) {
        String text = (String) raw;
        if (Js.trim(text).isEmpty()) return Double.NaN;
        double v = Js.parseNumber(text);
        return Double.isNaN(v) ? null : v;
      }
      return null;
    }
    if (raw == null) return -1.0;
    if (raw instanceof String) return (double) spec.lookup.find((String) raw);
    if (raw instanceof Number) {
      double v = ((Number) raw).doubleValue();
      return Double.isNaN(v) ? -1.0 : spec.lookup.find(Js.numberToString(v));
    }
    if (raw instanceof Boolean) {
      int k = spec.lookup.find(raw.toString());
      return k >= 0 ? (double) k : null;
    }
    return null;
  }

  private static final class Spec {
    final String name;
    final boolean numeric;
    final String[] categories;
    final Lookup lookup;

    Spec(String name, boolean numeric, String[] categories) {
      this.name = name;
      this.numeric = numeric;
      this.categories = categories;
      this.lookup = numeric ? null : new Lookup(categories);
    }
  }

  /** Exact matches first; failing that, a yes/no, true/false or 1/0 spelling maps to the one category of that truth value. */
  private static final class Lookup {
    private static final Set<String> TRUE = Set.of("true", "yes", "y", "t", "1");
    private static final Set<String> FALSE = Set.of("false", "no", "n", "f", "0");
    private final Map<String, Integer> exact = new HashMap<>();
    private final int truthy;
    private final int falsy;

    Lookup(String[] categories) {
      for (int i = 0; i < categories.length; i++) exact.put(categories[i], i);
      truthy = unique(categories, TRUE);
      falsy = unique(categories, FALSE);
    }

    int find(String text) {
      Integer k = exact.get(text);
      if (k != null) return k;
      String normal = Js.trim(text).toLowerCase(Locale.ROOT);
      if (TRUE.contains(normal)) return truthy;
      if (FALSE.contains(normal)) return falsy;
      return -1;
    }

    private static int unique(String[] categories, Set<String> spellings) {
      int found = -1;
      for (int i = 0; i < categories.length; i++) {
        if (!spellings.contains(Js.trim(categories[i]).toLowerCase(Locale.ROOT))) continue;
        if (found >= 0) return -1;
        found = i;
      }
      return found;
    }
  }

  /** JavaScript's string and number conversions, which the engine's reading of records relies on. */
  private static final class Js {
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(Infinity|([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?)");

    static boolean isSpace(char c) {
      return c == 9 || c == 10 || c == 11 || c == 12 || c == 13 || c == 32 || c == 0xA0 || c == 0x1680
          || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F
          || c == 0x3000 || c == 0xFEFF;
    }

    static String trim(String s) {
      int from = 0;
      int to = s.length();
      while (from < to && isSpace(s.charAt(from))) from++;
      while (to > from && isSpace(s.charAt(to - 1))) to--;
      return s.substring(from, to);
    }

    /** The engine's parseNumber: Number(text), NaN for blank and non-finite. */
    static double parseNumber(String text) {
      String t = trim(text);
      if (t.isEmpty()) return Double.NaN;
      double v = number(t);
      return Double.isFinite(v) ? v : Double.NaN;
    }

    private static double number(String t) {
      if (t.length() > 2 && t.charAt(0) == '0') {
        char c = t.charAt(1);
        int radix = c == 'x' || c == 'X' ? 16 : c == 'o' || c == 'O' ? 8 : c == 'b' || c == 'B' ? 2 : 0;
        if (radix > 0) {
          for (int i = 2; i < t.length(); i++) {
            char ch = t.charAt(i);
            if (ch > 127 || Character.digit(ch, radix) < 0) return Double.NaN;
          }
          return new BigInteger(t.substring(2), radix).doubleValue();
        }
      }
      if (!DECIMAL.matcher(t).matches()) return Double.NaN;
      if (t.endsWith("Infinity")) return t.charAt(0) == '-' ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
      return Double.parseDouble(t);
    }

    /** String(v) in JavaScript: the shortest round-tripping digits, in JavaScript's layout. */
    static String numberToString(double v) {
      if (Double.isNaN(v)) return "NaN";
      if (v == 0) return "0";
      if (Double.isInfinite(v)) return v > 0 ? "Infinity" : "-Infinity";
      if (v < 0) return "-" + numberToString(-v);
      BigDecimal exact = new BigDecimal(v);
      BigDecimal shortest = exact;
      for (int p = 1; p <= 17; p++) {
        BigDecimal r = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
        if (r.doubleValue() == v) {
          shortest = r;
          break;
        }
      }
      shortest = shortest.stripTrailingZeros();
      String digits = shortest.unscaledValue().toString();
      int k = digits.length();
      int n = k - shortest.scale();
      StringBuilder s = new StringBuilder();
      if (k <= n && n <= 21) {
        s.append(digits);
        for (int i = 0; i < n - k; i++) s.append('0');
      } else if (0 < n && n <= 21) {
        s.append(digits, 0, n).append('.').append(digits, n, k);
      } else if (-6 < n && n <= 0) {
        s.append("0.");
        for (int i = 0; i < -n; i++) s.append('0');
        s.append(digits);
      } else {
        int e = n - 1;
        s.append(digits.charAt(0));
        if (k > 1) s.append('.').append(digits, 1, k);
        s.append('e').append(e < 0 ? '-' : '+').append(Math.abs(e));
      }
      return s.toString();
    }
  }

  /** RFC 4180 CSV: quoted fields with doubled quotes, CRLF or LF line ends. */
  private static final class Csv {
    static List<List<String>> parse(byte[] bytes) {
      String text = new String(bytes, StandardCharsets.UTF_8);
      List<List<String>> rows = new ArrayList<>();
      List<String> row = new ArrayList<>();
      StringBuilder field = new StringBuilder();
      boolean quoted = false;
      boolean any = false;
      int n = text.length();
      for (int i = 0; i < n; i++) {
        char c = text.charAt(i);
        if (quoted) {
          if (c == '"') {
            if (i + 1 < n && text.charAt(i + 1) == '"') {
              field.append('"');
              i++;
            } else {
              quoted = false;
            }
          } else {
            field.append(c);
          }
        } else if (c == '"') {
          quoted = true;
          any = true;
        } else if (c == ',') {
          row.add(field.toString());
          field.setLength(0);
          any = true;
        } else if (c == '\n' || c == '\r') {
          if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') i++;
          if (any || field.length() > 0) {
            row.add(field.toString());
            rows.add(row);
          }
          row = new ArrayList<>();
          field.setLength(0);
          any = false;
        } else {
          field.append(c);
          any = true;
        }
      }
      if (any || field.length() > 0) {
        row.add(field.toString());
        rows.add(row);
      }
      return rows;
    }
  }

  // ---- exp and probabilities (fdlibm's exp in plain double arithmetic: the engine's bits) ----

  private static final double LN2_HI = 6.9314718036912381649e-1;
  private static final double LN2_LO = 1.90821492927058770002e-10;
  private static final double INV_LN2 = 1.442695040888963387;
  private static final double P1 = 1.66666666666666019037e-1;
  private static final double P2 = -2.77777777770155933842e-3;
  private static final double P3 = 6.61375632143793436117e-5;
  private static final double P4 = -1.6533902205465251539e-6;
  private static final double P5 = 4.13813679705723846039e-8;
  private static final double O_THRESHOLD = 7.09782712893383973096e2;
  private static final double U_THRESHOLD = -7.4513321910194110842e2;
  private static final double TWO_M1000 = 9.3326361850321887899e-302;

  static double exp(double x) {
    if (x == 1) return Math.E;
    int hx = (int) (Double.doubleToRawLongBits(x) >>> 32);
    boolean negative = hx < 0;
    hx &= 0x7fffffff;
    if (hx >= 0x40862e42) {
      if (hx >= 0x7ff00000) return Double.isNaN(x) ? x : negative ? 0 : x;
      if (x > O_THRESHOLD) return Double.POSITIVE_INFINITY;
      if (x < U_THRESHOLD) return 0;
    }
    double hi = 0;
    double lo = 0;
    int k = 0;
    if (hx > 0x3fd62e42) {
      if (hx < 0x3ff0a2b2) {
        hi = negative ? x + LN2_HI : x - LN2_HI;
        lo = negative ? -LN2_LO : LN2_LO;
        k = negative ? -1 : 1;
      } else {
        k = (int) (INV_LN2 * x + (negative ? -0.5 : 0.5));
        hi = x - k * LN2_HI;
        lo = k * LN2_LO;
      }
      x = hi - lo;
    } else if (hx < 0x3e300000) {
      return 1 + x;
    }
    double t = x * x;
    double c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
    if (k == 0) return 1 - ((x * c) / (c - 2) - x);
    double y = 1 - (lo - (x * c) / (2 - c) - hi);
    long bits = Double.doubleToRawLongBits(y);
    int high = (int) (bits >>> 32);
    if (k >= -1021) return Double.longBitsToDouble(((long) (high + (k << 20)) << 32) | (bits & 0xffffffffL));
    double scaled = Double.longBitsToDouble(((long) (high + ((k + 1000) << 20)) << 32) | (bits & 0xffffffffL));
    return scaled * TWO_M1000;
  }

  static double sigmoid(double eta) {
    if (eta >= 0) return 1 / (1 + exp(-eta));
    double e = exp(eta);
    return e / (1 + e);
  }

  static void softmax(double[] out, int o, int k) {
    double top = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < k; c++) top = Math.max(top, out[o + c]);
    double sum = 0;
    for (int c = 0; c < k; c++) {
      double e = exp(out[o + c] - top);
      out[o + c] = e;
      sum += e;
    }
    for (int c = 0; c < k; c++) out[o + c] = out[o + c] / sum;
  }

  // ---- Models ----

  /** One single model: its features, target encoding, and the scorer of its model columns. */
  private static final class Model {
    Spec[] features;
    /** Per feature: null, or the target encoding's priors and per-category values, one per output. */
    double[][] priors;
    double[][][] encoded;
    int columns;
    int width;
    Glm glm;
    Trees trees;

    void score(double[] x, double[] out, int o) {
      double[] cols = new double[columns];
      int c = 0;
      for (int f = 0; f < features.length; f++) {
        double v = x[f];
        if (priors[f] == null) {
          cols[c++] = v;
          continue;
        }
        int k = (int) v;
        for (int j = 0; j < priors[f].length; j++) cols[c++] = k >= 0 ? encoded[f][j][k] : priors[f][j];
      }
      if (glm != null) glm.score(cols, out, o);
      else trees.score(cols, out, o);
    }
  }

  private static final class Glm {
    int link;
    double[] intercepts;
    double[][] coefficients;
    boolean[] numeric;
    double[] impute;
    double[] center;
    double[] scale;
    int[] size;

    void score(double[] cols, double[] out, int o) {
      int n = intercepts.length;
      for (int p = 0; p < n; p++) {
        double[] b = coefficients[p];
        double eta = intercepts[p];
        int offset = 0;
        for (int e = 0; e < numeric.length; e++) {
          double v = cols[e];
          if (numeric[e]) {
            eta += b[offset] * (((Double.isFinite(v) ? v : impute[e]) - center[e]) / scale[e]);
            offset += 1;
          } else {
            int k = (int) v;
            if (k >= 0) eta += b[offset + k];
            offset += size[e];
          }
        }
        out[o + p] = eta;
      }
      if (link == 1) out[o] = sigmoid(out[o]);
      else if (link == 2) softmax(out, o, n);
    }
  }

  /** Every tree's nodes in flat arrays with global node ids, scored as the engine's forestMargins scores them. */
  private static final class Trees {
    int combine;
    int k;
    double[] start;
    boolean[] numeric;
    int[] roots;
    int[] feature;
    double[] threshold;
    int[] maskOffset;
    boolean[] masks;
    boolean[] defaultLeft;
    int[] left;
    int[] right;
    double[] value;

    void score(double[] cols, double[] out, int o) {
      for (int c = 0; c < numeric.length; c++) if (numeric[c] && !Double.isFinite(cols[c])) cols[c] = Double.NaN;
      for (int c = 0; c < k; c++) out[o + c] = start[c];
      for (int t = 0; t < roots.length; t++) {
        int node = roots[t];
        int f = feature[node];
        while (f >= 0) {
          double x = cols[f];
          int offset = maskOffset[node];
          boolean goLeft;
          if (offset < 0) goLeft = x == x ? x < threshold[node] : defaultLeft[node];
          else goLeft = x >= 0 ? masks[offset + (int) x] : defaultLeft[node];
          node = goLeft ? left[node] : right[node];
          f = feature[node];
        }
        int c = o + t % k;
        out[c] = out[c] + value[node];
      }
      if (combine == 1) out[o] = sigmoid(out[o]);
      else if (combine == 2) softmax(out, o, k);
      else if (combine == 3) out[o] = exp(out[o]);
      else if (combine >= 4) {
        double rounds = (double) roots.length / k;
        for (int c = 0; c < k; c++) out[o + c] = out[o + c] / rounds;
        if (combine == 5) out[o] = Math.min(1, Math.max(0, out[o]));
        else if (combine == 6) {
          double total = 0;
          for (int c = 0; c < k; c++) total += out[o + c];
          for (int c = 0; c < k; c++) out[o + c] = total > 0 ? out[o + c] / total : 1.0 / k;
        }
      }
    }
  }

  // ---- Decoding the parameters: comma-terminated tokens (decimal ints, hex double bits, length-prefixed strings) ----

  private static final class Data {
    private final String s;
    private int p;

    Data(String s) {
      this.s = s;
    }

    int i() {
      int end = s.indexOf(',', p);
      int v = Integer.parseInt(s, p, end, 10);
      p = end + 1;
      return v;
    }

    double d() {
      int end = s.indexOf(',', p);
      long bits = Long.parseUnsignedLong(s, p, end, 16);
      p = end + 1;
      return Double.longBitsToDouble(bits);
    }

    String str() {
      int colon = s.indexOf(':', p);
      int n = Integer.parseInt(s, p, colon, 10);
      String v = s.substring(colon + 1, colon + 1 + n);
      p = colon + 1 + n + 1;
      return v;
    }

    int[] ints(int n) {
      int[] v = new int[n];
      for (int j = 0; j < n; j++) v[j] = i();
      return v;
    }

    double[] doubles(int n) {
      double[] v = new double[n];
      for (int j = 0; j < n; j++) v[j] = d();
      return v;
    }

    Spec[] specs() {
      Spec[] specs = new Spec[i()];
      for (int f = 0; f < specs.length; f++) {
        String name = str();
        if (i() == 0) {
          specs[f] = new Spec(name, true, null);
          continue;
        }
        String[] categories = new String[i()];
        for (int c = 0; c < categories.length; c++) categories[c] = str();
        specs[f] = new Spec(name, false, categories);
      }
      return specs;
    }

    Model model() {
      Model m = new Model();
      m.features = specs();
      m.priors = new double[m.features.length][];
      m.encoded = new double[m.features.length][][];
      for (int f = 0; f < m.features.length; f++) {
        int outputs = i();
        if (outputs == 0) continue;
        m.priors[f] = new double[outputs];
        m.encoded[f] = new double[outputs][];
        for (int j = 0; j < outputs; j++) {
          m.priors[f][j] = d();
          m.encoded[f][j] = doubles(i());
        }
      }
      m.columns = i();
      m.width = i();
      if (i() == 0) m.glm = glm(m.columns);
      else m.trees = trees(m.columns);
      return m;
    }

    private Glm glm(int columns) {
      Glm g = new Glm();
      g.link = i();
      g.intercepts = doubles(i());
      g.numeric = new boolean[columns];
      g.impute = new double[columns];
      g.center = new double[columns];
      g.scale = new double[columns];
      g.size = new int[columns];
      for (int e = 0; e < columns; e++) {
        g.numeric[e] = i() == 0;
        if (g.numeric[e]) {
          g.impute[e] = d();
          g.center[e] = d();
          g.scale[e] = d();
        } else {
          g.size[e] = i();
        }
      }
      g.coefficients = new double[g.intercepts.length][];
      for (int o = 0; o < g.intercepts.length; o++) g.coefficients[o] = doubles(i());
      return g;
    }

    private Trees trees(int columns) {
      Trees t = new Trees();
      t.combine = i();
      t.k = i();
      t.start = doubles(t.k);
      t.numeric = new boolean[columns];
      for (int c = 0; c < columns; c++) t.numeric[c] = i() == 1;
      t.roots = ints(i());
      int nodes = i();
      t.feature = new int[nodes];
      t.threshold = new double[nodes];
      t.maskOffset = new int[nodes];
      t.defaultLeft = new boolean[nodes];
      t.left = new int[nodes];
      t.right = new int[nodes];
      t.value = new double[nodes];
      for (int n = 0; n < nodes; n++) {
        int f = i();
        t.feature[n] = f;
        if (f < 0) {
          t.value[n] = d();
          t.maskOffset[n] = -1;
          t.left[n] = -1;
          t.right[n] = -1;
          continue;
        }
        t.defaultLeft[n] = i() == 1;
        t.left[n] = i();
        t.right[n] = i();
        t.maskOffset[n] = i();
        if (t.maskOffset[n] < 0) t.threshold[n] = d();
      }
      String bits = str();
      t.masks = new boolean[bits.length()];
      for (int j = 0; j < bits.length(); j++) t.masks[j] = bits.charAt(j) == '1';
      return t;
    }
  }

  private static String[] data() {
    return new String[] {
__DATA__
    };
  }
}
`;
