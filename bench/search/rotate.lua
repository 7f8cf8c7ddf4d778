-- wrk script of the search benchmark: each wrk thread sends the URL paths of the file
-- given after "--" in turn, round and round; with wrk -t2, the second thread starts
-- halfway down the list.
local next_id = 0

function setup(thread)
	thread:set("id", next_id)
	next_id = next_id + 1
end

function init(args)
	paths = {}
	for line in io.lines(args[1]) do
		if #line > 0 then
			paths[#paths + 1] = line
		end
	end
	position = ((id or 0) * math.floor(#paths / 2)) % #paths
end

function request()
	position = position % #paths + 1
	return wrk.format("GET", paths[position])
end
