-- lua/survival.lua — the common survival protocol of a radiogenomics paper,
-- composed from rg.roc, rg.km, rg.logrank, rg.cox and rg.dummies:
--
--   local survival = require "survival"
--   -- 1. split patients on a marker: at a given threshold, or at the
--   --    Youden-optimal one against an event indicator
--   local split = survival.dichotomise(marker, {threshold = "youden", event = died})
--   -- 2. compare the groups: Kaplan-Meier, log-rank, a table of medians
--   local cmp = survival.compare(time, status, split.group, {at = {12, 24, 60}})
--   -- 3. Table 1 (univariate Cox per covariate) and Table 2 (multivariate
--   --    Cox of those with p < alpha)
--   local t = survival.cox_tables(time, status, {
--       {name = "age", values = age},
--       {name = "stage", values = stage, categorical = true, ref = "I"},
--       {name = "marker", values = split.group, categorical = true, ref = "low"},
--   }, {alpha = 0.05})
--   show(rg.table(t.univariate)); show(rg.table(t.multivariate))
--
-- Every number comes from the rg primitives; the rows only arrange them.

local survival = {}

local function check_options(opts, who, known)
  if opts == nil then return {} end
  if type(opts) ~= "table" then
    error(string.format("%s: options must be a table, got a %s", who, type(opts)), 3)
  end
  for k in pairs(opts) do
    if not known[k] then
      local names = {}
      for name in pairs(known) do names[#names + 1] = name end
      table.sort(names)
      error(string.format("%s: unknown option '%s' (known: %s)", who, tostring(k),
                          table.concat(names, ", ")), 3)
    end
  end
  return opts
end

local function is_nan(x) return x ~= x end

--- survival.dichotomise(marker, {threshold = number | "youden", event = {...},
--- direction = "<", labels = {"low", "high"}}) -> {group, threshold, method,
--- n, roc, labels}
-- group[i] is labels[2] when marker[i] >= threshold, labels[1] below it,
-- NaN when the marker is missing. "youden" takes the Youden threshold of
-- rg.roc(marker, event, {direction = direction}): "<" when higher marker
-- values go with the event, ">" when lower ones do; event (1/0 or
-- true/false) is then required.
function survival.dichotomise(marker, opts)
  local who = "survival.dichotomise"
  opts = check_options(opts, who, {threshold = true, event = true, direction = true,
                                   labels = true})
  if type(marker) ~= "table" then
    error(who .. ": marker must be an array of numbers", 2)
  end
  local labels = opts.labels or {"low", "high"}
  if type(labels) ~= "table" or #labels ~= 2 then
    error(who .. ": labels must be two labels, for below and at or above the threshold", 2)
  end
  local threshold, method, roc = opts.threshold, "given", nil
  if threshold == "youden" then
    if type(opts.event) ~= "table" then
      error(who .. ": threshold \"youden\" needs event, the indicator the marker should predict", 2)
    end
    roc = rg.roc(marker, opts.event, {direction = opts.direction or "<"})
    threshold, method = roc.youden.threshold, "youden"
  elseif type(threshold) ~= "number" or is_nan(threshold) then
    error(who .. ": threshold must be a number or \"youden\"", 2)
  end
  local group, n = {}, {[labels[1]] = 0, [labels[2]] = 0}
  for i = 1, #marker do
    local x = marker[i]
    if type(x) ~= "number" then
      error(string.format("%s: marker[%d] is a %s, not a number", who, i, type(x)), 2)
    end
    if is_nan(x) then
      group[i] = 0 / 0
    else
      local g = x >= threshold and labels[2] or labels[1]
      group[i] = g
      n[g] = n[g] + 1
    end
  end
  return {group = group, threshold = threshold, method = method, n = n, roc = roc,
          labels = labels}
end

--- survival.compare(time, status, group, {at = {...}, conf_type = "log"})
--- -> {km, logrank, table}
-- table: one row per group with n, events, median survival and its CI, and
-- the survival at each `at` time (columns "S(t)").
function survival.compare(time, status, group, opts)
  local who = "survival.compare"
  opts = check_options(opts, who, {at = true, conf_type = true})
  local km = rg.km(time, status, group, {at = opts.at, conf_type = opts.conf_type})
  local lr = rg.logrank(time, status, group)
  local rows = {}
  for g, c in ipairs(km.curves) do
    local row = {group = tostring(c.group), n = c.n, events = c.events, median = c.median,
                 median_lower = c.median_lower, median_upper = c.median_upper}
    if c.at then
      for k, t in ipairs(c.at.time) do
        row[string.format("S(%s)", rg.fmt(t, 6))] = c.at.surv[k]
      end
    end
    rows[g] = row
  end
  return {km = km, logrank = lr, table = rows}
end

-- The design columns of one covariate spec: names and arrays, in order.
local function design(spec, who)
  if type(spec) ~= "table" or type(spec.name) ~= "string" or type(spec.values) ~= "table" then
    error(who .. ": each covariate is {name = ..., values = {...} [, categorical, ref, levels, label]}", 3)
  end
  if not spec.categorical then
    return {spec.name}, {[spec.name] = spec.values}
  end
  local cols, names, ref = rg.dummies(spec.values, {ref = spec.ref, levels = spec.levels,
                                                    prefix = spec.name .. ":"})
  return names, cols, ref
end

-- A frame of the columns of specs (names in order) for rg.cox.
local function frame_of(specs, n, who)
  local ids = {}
  for i = 1, n do ids[i] = tostring(i) end
  local f = rg.frame {ids = ids}
  local terms = {}
  for _, spec in ipairs(specs) do
    local names, cols, ref = design(spec, who)
    for _, nm in ipairs(names) do f = f:with(nm, cols[nm]) end
    terms[#terms + 1] = {spec = spec, names = names, ref = ref}
  end
  return f, terms
end

-- Rows of a fit: one per design column. term_p: the covariate's overall p
-- (term_p[name] when given, else the column's own p for a one-column
-- covariate and NaN for a factor of several columns).
local function fit_rows(fit, terms, term_p)
  local rows, at = {}, 0
  for _, t in ipairs(terms) do
    for _, nm in ipairs(t.names) do
      at = at + 1
      local level = t.spec.categorical and nm:sub(#t.spec.name + 2) or nil
      rows[#rows + 1] = {
        covariate = t.spec.label or t.spec.name,
        level = level and string.format("%s vs %s", level, tostring(t.ref)) or "",
        hr = fit.hr[at], lower = fit.lower[at], upper = fit.upper[at], p = fit.p[at],
        -- two decimals, as papers print hazard ratios
        ["HR (95% CI)"] = string.format("%.2f (%.2f-%.2f)", fit.hr[at], fit.lower[at],
                                        fit.upper[at]),
        term_p = term_p and term_p[t.spec.name] or (#t.names == 1 and fit.p[at] or 0 / 0),
        n = fit.n, events = fit.nevent,
      }
    end
  end
  return rows
end

--- survival.cox_tables(time, status, covariates, {alpha = 0.05, ties = "efron",
--- select = "p"}) -> {univariate, multivariate, selected, fits, fit}
-- covariates: an array of {name, values, categorical = false, ref, levels,
-- label}. Table 1 (`univariate`): one Cox model per covariate on the
-- subjects complete for it, one row per design column with HR, CI, Wald p,
-- and term_p (the likelihood-ratio p of the whole covariate: for a factor of
-- k levels its k-1 columns together). Table 2 (`multivariate`): one Cox
-- model of the covariates with term_p < alpha, on the subjects complete for
-- all of them (nil when none is selected); its rows give each column's Wald
-- p (term_p NaN for factors of several columns). Warnings of the fits
-- (non-convergence, monotone likelihood) are notes in the report.
function survival.cox_tables(time, status, covariates, opts)
  local who = "survival.cox_tables"
  opts = check_options(opts, who, {alpha = true, ties = true})
  local alpha = opts.alpha or 0.05
  if type(alpha) ~= "number" or not (alpha > 0 and alpha <= 1) then
    error(who .. ": alpha must be in (0, 1]", 2)
  end
  if type(covariates) ~= "table" or #covariates == 0 then
    error(who .. ": covariates must be a non-empty array of {name, values, ...}", 2)
  end
  local n = #time
  local univariate, fits, term_p, selected = {}, {}, {}, {}
  for _, spec in ipairs(covariates) do
    local X, terms = frame_of({spec}, n, who)
    local fit = rg.cox(time, status, X, {ties = opts.ties})
    fits[spec.name] = fit
    term_p[spec.name] = fit.lr.p
    for _, row in ipairs(fit_rows(fit, terms, term_p)) do univariate[#univariate + 1] = row end
    if fit.lr.p < alpha then selected[#selected + 1] = spec end
  end
  local multivariate, fit = nil, nil
  if #selected >= 1 then
    local X, terms = frame_of(selected, n, who)
    fit = rg.cox(time, status, X, {ties = opts.ties})
    multivariate = fit_rows(fit, terms, nil)
  end
  local names = {}
  for _, s in ipairs(selected) do names[#names + 1] = s.name end
  return {univariate = univariate, multivariate = multivariate, selected = names,
          fits = fits, fit = fit, alpha = alpha}
end

return survival
