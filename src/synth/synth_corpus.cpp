#include "synth/synth_corpus.hpp"

namespace hf::engine::tok {

std::string_view synth_corpus() {
  return "The morning train to the coast was late again, so the people on the platform talked "
         "about the weather, the price of coffee and the new bridge over the river. A small girl "
         "with a red coat counted the pigeons while her father read the news on his phone. When "
         "the train finally arrived, everyone found a seat near a window and watched the fields "
         "go by.\n\n"
         "In the first village the station master waved a green flag. The houses there were old "
         "and built of grey stone, and each garden had a few apple trees. Children were walking "
         "to school with their bags, and a baker was carrying bread to the shop on the corner. "
         "Nothing in the village seemed to change from one year to the next.\n\n"
         "Later the line followed the river through a narrow valley. The water was fast and "
         "clear, and a heron stood very still on a rock, waiting for a fish. Some passengers "
         "took pictures; others were reading books or writing messages to their friends. The "
         "conductor walked slowly along the carriage and checked every ticket with care.\n\n"
         "At noon the train stopped in a larger town with a market square, a church and a "
         "museum of local history. The museum has a room full of clocks that the town made for "
         "two hundred years, and every hour they all ring at once. Visitors say the sound is "
         "both beautiful and a little strange, like a song that nobody quite remembers.\n\n"
         "After the town the land became flat and open. The wind moved across the grass in long "
         "waves, and there were only a few farms, each with a tall tree beside the house. The "
         "sky grew larger and brighter, and soon the passengers could smell the sea.\n\n"
         "The last station was right above the beach. People carried their bags down the steps "
         "and onto the sand, where the tide was going out. Some of them walked to the edge of the "
         "water and stood there for a long time, listening to the waves. Others went straight to "
         "the cafe, because the journey had been long and they were hungry and tired.\n\n"
         "In the evening the light turned gold and then pink. The fishing boats came back to the "
         "harbour one by one, and the gulls followed them, calling loudly. A man played music on "
         "an old guitar near the wall of the harbour, and a few people stopped to listen. It was "
         "the kind of quiet evening that makes a long day feel worth it.\n\n"
         "Numbers and names appear in every story: 12 stations, 3 bridges, 45 minutes of delay, "
         "a ticket that cost 7.50, platform 2, and the 18:30 train home. Questions too: Where are "
         "we going? Why is it late? Who left this umbrella? Nobody knew, and nobody minded.\n";
}

}  // namespace hf::engine::tok
