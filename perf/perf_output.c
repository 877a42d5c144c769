/* SPDX-License-Identifier: Apache-2.0 */
/* DSE result files. Plots go through gnuplot (`set terminal svg`); no SVG is written by hand. */
#include "perf_output.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "json.h"
#include "version.h"

/* mkdir of one level; an existing directory is fine, an existing file is not. */
static int mkdir_one(const char *path) {
  struct stat st;
  if (mkdir(path, 0777) == 0) return 0;
  if (errno != EEXIST) return -1;
  if (stat(path, &st)) return -1;
  if (!S_ISDIR(st.st_mode)) { errno = ENOTDIR; return -1; }
  return 0;
}

int perf_mkdir_p(const char *dir, const char *flag, const char *value) {
  char buf[1024], ctx[1100] = "";
  if (flag) snprintf(ctx, sizeof ctx, "%s %s: ", flag, value);
  if (strlen(dir) >= sizeof buf) { fprintf(stderr, "edgecim: %sdirectory name too long: %s\n", ctx, dir); return -1; }
  strcpy(buf, dir);
  for (char *p = buf + 1;; p++) {
    if (*p && *p != '/') continue;
    const char c = *p;
    *p = 0;
    if (mkdir_one(buf)) {
      /* the level that failed, which may be a parent of dir, and why */
      fprintf(stderr, "edgecim: %scannot create directory %s: %s\n", ctx, buf, strerror(errno));
      return -1;
    }
    *p = c;
    if (!c) return 0;
  }
}

int perf_have_gnuplot(void) { return system("command -v gnuplot >/dev/null 2>&1") == 0; }

int perf_run_gnuplot(const char *script) {
  if (!perf_have_gnuplot()) {
    fprintf(stderr, "gnuplot not found on PATH: plots skipped (apt-get install gnuplot-nox)\n");
    return 1;
  }
  char cmd[2600];
  /* gnuplot's warnings (e.g. a one-point front) go to a log next to the script */
  snprintf(cmd, sizeof cmd, "gnuplot '%s' 2>'%s.log'", script, script);
  int rc = system(cmd);
  if (rc) fprintf(stderr, "gnuplot %s failed (exit %d), see %s.log\n", script, rc, script);
  return rc ? -1 : 0;
}

void perf_dse_describe(const perf_dse_t *d, long long idx, char *buf, size_t len) {
  perf_hw_t hw;
  perf_dse_decode(d, idx, &hw);
  size_t at = 0;
  buf[0] = 0;
  for (int i = 0; i < d->ndims && at < len; i++)
    at += (size_t)snprintf(buf + at, len - at, "%s%s=%g", i ? " " : "", d->dims[i].param->key,
                           perf_hw_get(&hw, d->dims[i].param));
}

static FILE *open_in(const char *dir, const char *name, char *path, size_t plen) {
  snprintf(path, plen, "%s/%s", dir, name);
  FILE *f = fopen(path, "w");
  if (!f) fprintf(stderr, "%s: %s\n", path, strerror(errno));
  return f;
}

static int write_csv(const perf_dse_t *d, const perf_points_t *fronts, int pick, const char *dir) {
  char path[1100];
  FILE *f = open_in(dir, "pareto.csv", path, sizeof path);
  if (!f) return -1;
  fprintf(f, "front,idx");
  for (int i = 0; i < d->ndims; i++) fprintf(f, ",%s", d->dims[i].param->key);
  fprintf(f, ",latency_ms,energy_mj,area_mm2,tok_s,tok_j,chosen\n");
  for (int fr = 0; fr < perf_dse_nfronts(d); fr++)
    for (int i = 0; i < fronts[fr].n; i++) {
      const perf_point_t *p = &fronts[fr].p[i];
      perf_hw_t hw;
      perf_dse_decode(d, p->idx, &hw);
      fprintf(f, "%s,%lld", perf_dse_front_name(d, fr), p->idx);
      for (int k = 0; k < d->ndims; k++) fprintf(f, ",%g", perf_hw_get(&hw, d->dims[k].param));
      fprintf(f, ",%.9g,%.9g,%.9g,%.6g,%.6g,%d\n", p->obj[0] * 1e3, p->obj[1] * 1e3, p->obj[2],
              1 / p->obj[0], 1 / p->obj[1],
              pick >= 0 && p->idx == fronts[0].p[pick].idx);
    }
  return fclose(f);
}

static int write_json(const perf_dse_t *d, const perf_points_t *fronts, int pick,
                      const perf_dse_stats_t *st, const char *dir) {
  char path[1100];
  FILE *f = open_in(dir, "pareto.json", path, sizeof path);
  if (!f) return -1;
  fprintf(f, "{\n  \"version\": ");
  json_write_cstr(f, edgecim_version());
  fprintf(f, ",\n  \"signature\": \"%016llx\",\n  \"search\": ", perf_dse_signature(d));
  json_write_cstr(f, st->search);
  fprintf(f, ",\n  \"evaluated\": %lld,\n  \"feasible\": %lld,\n  \"seconds\": %.3f,\n  \"models\": [",
          st->evaluated, st->feasible, st->seconds);
  for (int m = 0; m < d->nmodels; m++) { fputs(m ? ", " : "", f); json_write_cstr(f, d->models[m]->name); }
  fprintf(f, "],\n  \"constraints\": {\"area_max_mm2\": %g, \"power_max_w\": %g, \"ttft_max_s\": %g, "
          "\"dram_gb_s\": %g, \"ctx\": %d, \"prompt\": %d},\n  \"dims\": {",
          d->area_max, d->power_max_w, d->ttft_max_s, d->base.dram_gb_s, d->eval.ctx, d->eval.prompt);
  for (int i = 0; i < d->ndims; i++) {
    fprintf(f, "%s\"%s\": [", i ? ", " : "", d->dims[i].param->key);
    for (int j = 0; j < d->dims[i].nv; j++) fprintf(f, "%s%g", j ? ", " : "", d->dims[i].v[j]);
    fputs("]", f);
  }
  fprintf(f, "},\n  \"chosen_idx\": %lld,\n  \"fronts\": [\n",
          pick >= 0 ? fronts[0].p[pick].idx : -1LL);
  for (int fr = 0; fr < perf_dse_nfronts(d); fr++) {
    fprintf(f, "    {\"name\": ");
    json_write_cstr(f, perf_dse_front_name(d, fr));
    fprintf(f, ", \"points\": [");
    for (int i = 0; i < fronts[fr].n; i++) {
      const perf_point_t *p = &fronts[fr].p[i];
      perf_hw_t hw;
      perf_dse_decode(d, p->idx, &hw);
      fprintf(f, "%s\n      {\"idx\": %lld, \"latency_s\": %.9g, \"energy_j\": %.9g, "
              "\"area_mm2\": %.9g, \"params\": {", i ? "," : "", p->idx, p->obj[0], p->obj[1], p->obj[2]);
      for (int k = 0; k < d->ndims; k++)
        fprintf(f, "%s\"%s\": %g", k ? ", " : "", d->dims[k].param->key, perf_hw_get(&hw, d->dims[k].param));
      fputs("}}", f);
    }
    fprintf(f, "]}%s\n", fr + 1 < perf_dse_nfronts(d) ? "," : "");
  }
  fputs("  ]\n}\n", f);
  return fclose(f);
}

static int write_md(const perf_dse_t *d, const perf_points_t *fronts, int pick,
                    const perf_dse_stats_t *st, const char *dir, int have_svg) {
  char path[1100], desc[512];
  FILE *f = open_in(dir, "dse.md", path, sizeof path);
  if (!f) return -1;
  fprintf(f, "# EdgeCIM design-space exploration\n\n");
  fprintf(f, "- search: %s, %lld design points evaluated x %d models, %lld feasible, %.2f s "
          "(%d threads)\n", st->search, st->evaluated, d->nmodels, st->feasible, st->seconds, st->threads);
  fprintf(f, "- DRAM %.1f GB/s; decode at %d cached positions; constraints: area <= %g mm2, "
          "power <= %g W, TTFT <= %g s (0 = none)\n", d->base.dram_gb_s, d->eval.ctx, d->area_max,
          d->power_max_w, d->ttft_max_s);
  fprintf(f, "- swept:");
  for (int i = 0; i < d->ndims; i++) {
    fprintf(f, " `%s` {", d->dims[i].param->key);
    for (int j = 0; j < d->dims[i].nv; j++) fprintf(f, "%s%g", j ? "," : "", d->dims[i].v[j]);
    fprintf(f, "}");
  }
  fprintf(f, "\n- objectives (minimised): decode latency per token, energy per token, area; "
          "front `%s` uses the mean over the models\n\n", perf_dse_front_name(d, 0));
  fprintf(f, "| front | points | best latency (ms) | best energy (mJ) | smallest area (mm2) |\n|---|---:|---:|---:|---:|\n");
  for (int fr = 0; fr < perf_dse_nfronts(d); fr++) {
    double l = 1e300, e = 1e300, a = 1e300;
    for (int i = 0; i < fronts[fr].n; i++) {
      const perf_point_t *p = &fronts[fr].p[i];
      if (p->obj[0] < l) l = p->obj[0];
      if (p->obj[1] < e) e = p->obj[1];
      if (p->obj[2] < a) a = p->obj[2];
    }
    if (fronts[fr].n)
      fprintf(f, "| %s | %d | %.3f | %.3f | %.2f |\n", perf_dse_front_name(d, fr), fronts[fr].n, l * 1e3, e * 1e3, a);
  }
  if (pick >= 0) {
    const perf_point_t *p = &fronts[0].p[pick];
    perf_dse_describe(d, p->idx, desc, sizeof desc);
    fprintf(f, "\nChosen design (smallest area within %.0f%% of the best latency on front `%s`): "
            "`%s` — %.3f ms/token, %.3f mJ/token, %.2f mm2 (`chosen.cfg`).\n",
            st->slack * 100, perf_dse_front_name(d, 0), desc, p->obj[0] * 1e3, p->obj[1] * 1e3, p->obj[2]);
  }
  if (pick >= 0) {
    perf_hw_t hw;
    perf_dse_decode(d, fronts[0].p[pick].idx, &hw);
    perf_eval_opts_t opt = {d->eval.ctx, d->eval.prompt > 0 ? d->eval.prompt : 128};
    fprintf(f, "\n| model | tokens/s | tokens/J | TTFT (ms, %d tokens) | DRAM roofline share | bound | power (W) |\n"
               "|---|---:|---:|---:|---:|---|---:|\n", opt.prompt);
    for (int m = 0; m < d->nmodels; m++) {
      perf_result_t r;
      perf_evaluate(&hw, &d->wl[m], &opt, &r);
      fprintf(f, "| %s | %.1f | %.2f | %.0f | %.1f%% | %s | %.2f |\n", d->models[m]->name, r.tok_s,
              r.tok_j, r.ttft_s * 1e3, 100 * r.roofline_share, r.bound, r.power_w);
    }
    if (have_svg) fprintf(f, "\n![chosen design](chosen.svg)\n");
  }
  if (have_svg) fprintf(f, "\n![Pareto fronts](pareto.svg)\n");
  return fclose(f);
}

/* Bars of tokens/s and tokens/J of the chosen design over the DSE's models. */
static int plot_chosen(const perf_dse_t *d, const perf_hw_t *hw, const char *dir) {
  char dat[1100], gp[1100];
  FILE *f = open_in(dir, "chosen.dat", dat, sizeof dat);
  if (!f) return -1;
  perf_eval_opts_t opt = {d->eval.ctx, 0};
  for (int m = 0; m < d->nmodels; m++) {
    perf_result_t r;
    perf_evaluate(hw, &d->wl[m], &opt, &r);
    fprintf(f, "%s %.4g %.4g\n", d->models[m]->name, r.tok_s, r.tok_j);
  }
  fclose(f);
  f = open_in(dir, "chosen.gp", gp, sizeof gp);
  if (!f) return -1;
  fprintf(f, "set terminal svg size 1000,700 dynamic font 'Helvetica,10' background rgb 'white'\n"
          "set output '%s/chosen.svg'\nset multiplot layout 2,1 title 'Chosen design (DRAM %g GB/s, ctx %d)'\n"
          "set style data histograms\nset style fill solid 0.8 border -1\nset grid ytics\nunset key\n"
          "set xtics rotate by -30 nomirror\nset yrange [0:*]\n"
          "set ylabel 'tokens/s'\nplot '%s' using 2:xtic(1) lc rgb '#1f77b4'\n"
          "set ylabel 'tokens/J'\nplot '%s' using 3:xtic(1) lc rgb '#2ca02c'\nunset multiplot\n",
          dir, hw->dram_gb_s, d->eval.ctx, dat, dat);
  fclose(f);
  return perf_run_gnuplot(gp);
}

int perf_plot_fronts(const perf_dse_t *d, const perf_points_t *fronts, const char *work,
                     const char *svg, const char *title) {
  if (!perf_have_gnuplot()) return perf_run_gnuplot(""); /* prints the notice */
  char dat[1100], gp[1100];
  FILE *f = open_in(work, "pareto_plot.dat", dat, sizeof dat);
  if (!f) return -1;
  const int nf = perf_dse_nfronts(d);
  for (int fr = 0; fr < nf; fr++) {
    fprintf(f, "# %s\n", perf_dse_front_name(d, fr));
    for (int i = 0; i < fronts[fr].n; i++)
      fprintf(f, "%.6g %.6g %.4g\n", fronts[fr].p[i].obj[0] * 1e3, fronts[fr].p[i].obj[1] * 1e3,
              fronts[fr].p[i].obj[2]);
    if (fronts[fr].n == 0) fprintf(f, "nan nan nan\n");
    fprintf(f, "\n\n");
  }
  fclose(f);
  f = open_in(work, "pareto_plot.gp", gp, sizeof gp);
  if (!f) return -1;
  int cols = nf == 1 ? 1 : 4, rows = (nf + cols - 1) / cols;
  fprintf(f, "set terminal svg size %d,%d dynamic font 'Helvetica,10' background rgb 'white'\n"
          "set output '%s'\nset multiplot layout %d,%d title '%s'\n"
          "set xlabel 'ms / token'\nset ylabel 'mJ / token'\nset cblabel 'mm^2'\n"
          "set palette rgbformulae 33,13,10\nset grid\nunset key\n",
          cols * 360, rows * 300 + 40, svg, rows, cols, title);
  /* one colour scale for all panels, drawn once (colour boxes dominate the SVG size) */
  double amin = 1e300, amax = -1e300;
  for (int fr = 0; fr < nf; fr++)
    for (int i = 0; i < fronts[fr].n; i++) {
      if (fronts[fr].p[i].obj[2] < amin) amin = fronts[fr].p[i].obj[2];
      if (fronts[fr].p[i].obj[2] > amax) amax = fronts[fr].p[i].obj[2];
    }
  if (amax > amin) fprintf(f, "set cbrange [%g:%g]\n", amin, amax);
  for (int fr = 0; fr < nf; fr++) {
    fprintf(f, "set title '%s (%d points)'\nplot '%s' index %d using 1:2:3 with points pt 7 ps 0.5 palette\n",
            perf_dse_front_name(d, fr), fronts[fr].n, dat, fr);
    if (fr == 0) fprintf(f, "unset colorbox\n");
  }
  fprintf(f, "unset multiplot\n");
  fclose(f);
  return perf_run_gnuplot(gp);
}

int perf_dse_write_outputs(const perf_dse_t *d, const perf_points_t *fronts, int pick,
                           const perf_dse_stats_t *st, const char *dir, int plots) {
  if (perf_mkdir_p(dir, NULL, NULL)) return -1;
  if (write_csv(d, fronts, pick, dir) || write_json(d, fronts, pick, st, dir)) return -1;
  if (pick >= 0) {
    char path[1100];
    FILE *f = open_in(dir, "chosen.cfg", path, sizeof path);
    if (!f) return -1;
    perf_hw_t hw;
    perf_dse_decode(d, fronts[0].p[pick].idx, &hw);
    fprintf(f, "# EdgeCIM design chosen by `edgecim dse` (load with --config)\n");
    perf_hw_write(&hw, f);
    if (fclose(f)) return -1;
  }
  int have_svg = 0;
  if (plots) {
    char svg[1100];
    snprintf(svg, sizeof svg, "%s/pareto.svg", dir);
    have_svg = perf_plot_fronts(d, fronts, dir, svg, "EdgeCIM Pareto fronts (decode latency vs energy; colour = area)") == 0;
    if (have_svg && pick >= 0) {
      perf_hw_t hw;
      perf_dse_decode(d, fronts[0].p[pick].idx, &hw);
      have_svg = plot_chosen(d, &hw, dir) == 0;
    }
  }
  return write_md(d, fronts, pick, st, dir, have_svg) ? -1 : 0;
}
