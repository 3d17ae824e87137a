-- lua/check.lua — assertions for studies and Lua-level tests.
--
-- A protocol states its expectations ("the cohort has at least 40 patients",
-- "the two tables share every ID"); check turns a broken expectation into a
-- failed render with the study line, instead of a report with wrong numbers.
--
--   local check = require "check"
--   check.that(#ids >= 40, "expected at least 40 patients, got %d", #ids)
--   check.near(r, 0.4123, 1e-10, "Pearson r")
--   check.equal(names, {"a", "b"}, "column names")
--   local msg = check.errors(function() rg.fmt("x") end, "expected a number")

local check = {}

local function fail(level, fmt, ...)
  error(string.format(fmt, ...), level + 1)
end

local function show(v)
  if type(v) == "string" then return string.format("%q", v) end
  if type(v) == "number" and math.type(v) == "float" then
    return string.format("%.17g", v)
  end
  return tostring(v)
end

--- check.that(cond, fmt, ...): fails with the formatted message unless cond.
function check.that(cond, fmt, ...)
  if not cond then fail(2, fmt or "check failed", ...) end
  return cond
end

--- check.near(got, want, tol, what): |got - want| <= tol * max(1, |want|).
function check.near(got, want, tol, what)
  what = what or "value"
  if type(got) ~= "number" or type(want) ~= "number" then
    fail(2, "%s: expected numbers, got %s and %s", what, type(got), type(want))
  end
  tol = tol or 1e-12
  local scale = math.max(1, math.abs(want))
  if got ~= got or want ~= want then
    if got ~= got and want ~= want then return got end
    fail(2, "%s: got %s, want %s", what, show(got), show(want))
  end
  if math.abs(got - want) > tol * scale then
    fail(2, "%s: got %s, want %s (tolerance %g)", what, show(got), show(want), tol)
  end
  return got
end

local function deep_equal(a, b, path)
  if type(a) ~= type(b) then
    return false, string.format("%s: got a %s, want a %s", path, type(a), type(b))
  end
  if type(a) ~= "table" then
    if a == b or (a ~= a and b ~= b) then return true end
    return false, string.format("%s: got %s, want %s", path, show(a), show(b))
  end
  for k, v in pairs(b) do
    local ok, why = deep_equal(a[k], v, path .. "[" .. show(k) .. "]")
    if not ok then return false, why end
  end
  for k in pairs(a) do
    if b[k] == nil then
      return false, string.format("%s[%s]: unexpected value %s", path, show(k), show(a[k]))
    end
  end
  return true
end

--- check.equal(got, want, what): deep equality of values and tables.
function check.equal(got, want, what)
  local ok, why = deep_equal(got, want, what or "value")
  if not ok then fail(2, "%s", why) end
  return got
end

--- check.errors(fn, expected): fn() must raise an error whose message
--- contains expected (plain text, not a pattern); returns the message.
function check.errors(fn, expected)
  local ok, err = pcall(fn)
  if ok then fail(2, "expected an error containing %s, but none was raised", show(expected)) end
  err = tostring(err)
  if expected and not err:find(expected, 1, true) then
    fail(2, "expected an error containing %s, got %s", show(expected), show(err))
  end
  return err
end

return check
