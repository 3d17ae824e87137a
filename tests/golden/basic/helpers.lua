-- a study-local module: parses whitespace-separated numbers
local M = {}
function M.numbers(text)
  local out = {}
  for w in text:gmatch("%S+") do out[#out + 1] = tonumber(w) end
  return out
end
return M
